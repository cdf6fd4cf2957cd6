// Opens N idle keep-alive connections to host:port, each after one answered request, then holds them
// until killed; touches READY_FILE when all are open. For the benchmark's idle-connection memory figure.
#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

int main(int argc, char **argv)
{
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s HOST PORT COUNT READY_FILE\n", argv[0]);
        return 2;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(std::atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &address.sin_addr);
    const int count = std::atoi(argv[3]);
    std::vector<int> fds;
    const char request[] = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    char buffer[4096];
    for (int i = 0; i < count; ++i) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            std::perror("connect");
            return 1;
        }
        if (write(fd, request, sizeof request - 1) < 0 || read(fd, buffer, sizeof buffer) <= 0) {
            std::fprintf(stderr, "connection %d got no answer\n", i);
            return 1;
        }
        fds.push_back(fd);
    }
    if (FILE *ready = std::fopen(argv[4], "w"))
        std::fclose(ready);
    pause();
    return 0;
}
