// The /v1 operations: one per route of the route table (the contract's defaults, or the config's overrides), with
// the body the upstream takes, what it answers, and the headers the gateway adds.
#include "server/api/OpenApiParts.h"

namespace tollgate::api::openapi {

namespace {

// What the document knows of one default endpoint; a route the config adds gets a generic description.
struct V1Docs
{
    const char *operationId;
    const char *summary;
    const char *credits;
    const char *requestSchema;   // nullptr: no body
    const char *requestExample;  // JSON
    const char *responseSchema;
    const char *responseExample; // JSON, or nullptr
};

const V1Docs *docsFor(const QString &endpoint)
{
    static const QHash<QString, V1Docs> table{
        {QStringLiteral("search"), {"search", "Search the web", "1 credit.", "SearchRequest", R"({"query": "api gateway rate limiting"})",
                                    "SearchResponse", R"({"query": "api gateway rate limiting", "results": [{"url": "https://example.org/rate-limits", "title": "Rate limits", "content": "…"}]})"}},
        {QStringLiteral("extract"), {"extract", "Extract the content of one page", "1 credit.", "ExtractRequest", R"({"url": "https://example.org/article"})",
                                     "Extraction", R"({"url": "https://example.org/article", "title": "An article", "content": "…"})"}},
        {QStringLiteral("extract/bulk"), {"extractBulk", "Extract the content of several pages", "1 credit per URL in urls.", "ExtractBulkRequest",
                                          R"({"urls": ["https://a.example/", "https://b.example/"]})", "ExtractBulkResponse",
                                          R"({"results": [{"url": "https://a.example/", "title": "A", "content": "…"}]})"}},
        {QStringLiteral("search/engines"), {"listSearchEngines", "List the search engines", "Free.", nullptr, nullptr, "UpstreamListing", nullptr}},
        {QStringLiteral("stt/transcribe"), {"transcribe", "Transcribe audio", "10 credits per started minute of audio (the upstream's duration, else the WAV header, else one minute).",
                                            "TranscribeRequest", nullptr, "Transcription", R"({"text": "Hello world.", "duration": 2.4, "language": "en"})"}},
        {QStringLiteral("stt/models"), {"listSttModels", "List the speech-to-text models", "Free.", nullptr, nullptr, "UpstreamListing", nullptr}},
        {QStringLiteral("stt/languages"), {"listSttLanguages", "List the speech-to-text languages", "Free.", nullptr, nullptr, "UpstreamListing", nullptr}},
        {QStringLiteral("tts/synthesize"), {"synthesize", "Synthesize speech", "1 credit per started 1,000 characters of text.", "SynthesizeRequest",
                                            R"({"text": "Hello world.", "voice": "en-default"})", nullptr, nullptr}},
        {QStringLiteral("tts/voices"), {"listTtsVoices", "List the text-to-speech voices", "Free.", nullptr, nullptr, "UpstreamListing", nullptr}},
        {QStringLiteral("tts/languages"), {"listTtsLanguages", "List the text-to-speech languages", "Free.", nullptr, nullptr, "UpstreamListing", nullptr}},
    };
    const auto it = table.constFind(endpoint);
    return it == table.cend() ? nullptr : &it.value();
}

QJsonObject headerRef(const char *name)
{
    return ref("headers", QLatin1String(name));
}

// Every answer of an identified key; X-Credits-Charged only on charged ones.
QJsonObject successHeaders()
{
    QJsonObject headers;
    for (const char *name : {"X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "RateLimit-Policy", "RateLimit",
                             "X-Credits-Remaining", "X-Credits-Charged"})
        headers.insert(QLatin1String(name), headerRef(name));
    return headers;
}

} // namespace

QJsonObject v1Operation(const gateway::Route &route)
{
    const V1Docs *docs = docsFor(route.endpoint);
    const QString upstream = QStringLiteral("Proxied to the %1 service's %2; the body passes through untouched both ways.")
                                 .arg(route.upstream, QString::fromLatin1(route.upstreamPath));
    QJsonObject ok{{QStringLiteral("description"), QStringLiteral("The upstream's answer (status, body and content headers), untouched.")},
                   {QStringLiteral("headers"), successHeaders()}};
    if (docs && !docs->responseSchema) {
        // TTS answers audio.
        ok.insert(QStringLiteral("content"), literal(R"json({"audio/*": {"schema": {"type": "string", "format": "binary"}}})json"));
    } else {
        const QJsonValue example = docs && docs->responseExample ? QJsonValue(literal(docs->responseExample)) : QJsonValue();
        ok.insert(QStringLiteral("content"), jsonContent(schemaRef(docs ? docs->responseSchema : "UpstreamListing"), example));
    }
    QJsonObject responses = errorResponses({QStringLiteral("400"), QStringLiteral("401"), QStringLiteral("402"), QStringLiteral("403"),
                                            QStringLiteral("v1:429"), QStringLiteral("500"), QStringLiteral("502"), QStringLiteral("503"), QStringLiteral("504")});
    if (route.method == "POST")
        responses.insert(QStringLiteral("413"), ref("responses", QStringLiteral("PayloadTooLarge")));
    responses.insert(QStringLiteral("200"), ok);

    QJsonObject operation{
        {QStringLiteral("operationId"), docs ? QLatin1String(docs->operationId) : operationIdOf(route.method, route.path)},
        {QStringLiteral("summary"), docs ? QLatin1String(docs->summary) : QStringLiteral("Call the %1 service").arg(route.upstream)},
        {QStringLiteral("description"), QStringLiteral("%1 Endpoint group %2. %3").arg(upstream, route.group,
                                                                                       docs ? QLatin1String(docs->credits) : QStringLiteral("Charged as configured."))},
        {QStringLiteral("tags"), QJsonArray{route.group}},
        {QStringLiteral("security"), QJsonArray{QJsonObject{{QStringLiteral("apiKey"), QJsonArray()}}}},
        {QStringLiteral("parameters"), QJsonArray{param("X-Request-ID", "header", type("string", R"({"maxLength": 128})"),
                                                        "Your request id: echoed, forwarded upstream and logged")}},
        {QStringLiteral("responses"), responses},
    };
    if (route.method == "POST") {
        const QJsonObject schema = docs && docs->requestSchema ? schemaRef(docs->requestSchema)
                                                               : type("object", R"({"additionalProperties": true})");
        QJsonObject content;
        if (route.streamBody) {
            content.insert(QStringLiteral("multipart/form-data"), QJsonObject{{QStringLiteral("schema"), schema}});
        } else {
            content = jsonContent(schema, docs && docs->requestExample ? QJsonValue(literal(docs->requestExample)) : QJsonValue());
        }
        operation.insert(QStringLiteral("requestBody"), QJsonObject{{QStringLiteral("required"), true}, {QStringLiteral("content"), content}});
    }
    return operation;
}

} // namespace tollgate::api::openapi
