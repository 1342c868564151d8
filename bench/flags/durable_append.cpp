// The floor under any durable one-process toggle: a process that only appends one audit-sized
// line to a file and fsyncs it, with no argument parsing, no reading and no checking. The bench
// runs it in the same loop as both tools, so the ratio shows how much of a toggle is the process
// and the fsync that every implementation pays.
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: durable_append FILE\n");
        return 2;
    }
    // As long as a toggle's record; no std::string, so libstdc++ is not even loaded.
    static char line[801];
    std::memset(line, 'x', 800);
    line[800] = '\n';
    int fd = ::open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return 3;
    bool written = ::write(fd, line, sizeof line) == static_cast<ssize_t>(sizeof line);
    bool synced = written && ::fsync(fd) == 0;
    return ::close(fd) == 0 && synced ? 0 : 3;
}
