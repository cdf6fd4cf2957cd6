// Not a test: a hello-world server on the HTTP front, for measuring it with wrk.
//   httpbench_hello [threads=1] [port=8089]
//   wrk -t2 -c64 -d5s http://127.0.0.1:8089/

#include "server/http/HttpServer.h"

#include <QCoreApplication>

#include <cstdio>

using namespace tollgate::http;

namespace {

class HelloHandler : public HttpHandler
{
public:
    HelloHandler() { m_headers.add("Content-Type", "text/plain"); }

    void handle(const std::shared_ptr<HttpExchange> &exchange) override
    {
        exchange->respond(200, m_headers, m_body);
    }

private:
    HttpHeaders m_headers;
    const QByteArray m_body = "Hello, world!";
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
    const quint16 port = quint16(argc > 2 ? std::atoi(argv[2]) : 8089);
    HttpServer server([] { return std::make_unique<HelloHandler>(); }, HttpLimits{});
    QString error;
    if (!server.listen(QHostAddress::LocalHost, port, threads, &error)) {
        std::fprintf(stderr, "listen: %s\n", qPrintable(error));
        return 1;
    }
    return app.exec();
}
