#include "gui/widgets/CidrListEdit.h"

#include "core/keys/IpAllowList.h"

#include <QEvent>
#include <QTextBlock>

namespace tollgate::gui {

CidrListEdit::CidrListEdit(QWidget *parent) : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono = font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    setFont(mono);
    setPlaceholderText(tr("Any address. One network per line, e.g. 10.0.0.0/8 or 2001:db8::/32"));
    const int lineHeight = fontMetrics().lineSpacing();
    setMinimumHeight(lineHeight * 3 + 12);
    setMaximumHeight(lineHeight * 6 + 12);
    connect(this, &QPlainTextEdit::textChanged, this, &CidrListEdit::validate);
}

QStringList CidrListEdit::entries() const
{
    QStringList out;
    for (const QString &line : toPlainText().split(QLatin1Char('\n'))) {
        const QString entry = line.trimmed();
        if (!entry.isEmpty())
            out.append(entry);
    }
    return out;
}

void CidrListEdit::setEntries(const QStringList &entries)
{
    setPlainText(entries.join(QLatin1Char('\n')));
}

void CidrListEdit::validate()
{
    QString problem;
    QList<QTextEdit::ExtraSelection> marks;
    int count = 0;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        const QString entry = block.text().trimmed();
        if (entry.isEmpty())
            continue;
        ++count;
        if (!IpAllowList::normalize(entry).isEmpty())
            continue;
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(block);
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.format.setBackground(QColor(0xc6, 0x28, 0x28, 60));
        mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        mark.format.setUnderlineColor(QColor(0xc6, 0x28, 0x28));
        marks.append(mark);
        if (problem.isEmpty()) {
            problem = tr("Line %1: “%2” is not a network; write an address with its prefix length, such as "
                         "10.0.0.0/8 or 2001:db8::/32.")
                          .arg(block.blockNumber() + 1)
                          .arg(entry);
        }
    }
    if (problem.isEmpty() && count > MaxEntries)
        problem = tr("At most %1 networks; this list has %2.").arg(MaxEntries).arg(count);
    setExtraSelections(marks);
    if (problem != m_problem) {
        m_problem = problem;
        setAccessibleDescription(problem);
        Q_EMIT problemChanged(problem);
    }
}

void CidrListEdit::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        setPlaceholderText(tr("Any address. One network per line, e.g. 10.0.0.0/8 or 2001:db8::/32"));
        m_problem.clear();
        validate();
    }
    QPlainTextEdit::changeEvent(event);
}

} // namespace tollgate::gui
