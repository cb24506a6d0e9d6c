/* The `stat` floor of the pre-commit callers cache's warm run (BENCHMARKS.md, "pre-commit:
 * a module called from far away"): one `statx` (not following symbolic links) per
 * directory and per file that the warm run checks, and nothing else.
 *
 *   cc -O2 -pthread -o /tmp/stat-floor scripts/stat-floor.c
 *   cd target/precommit-repo-36000
 *   find . -path ./.git -prune -o -path ./.erlint_cache -prune -o -type d -print \
 *     | sed 's|^\./||;s|^\.$||' > /tmp/dirs.txt
 *   find . -path ./.git -prune -o -name '*.tf' -print | sed 's|^\./||' > /tmp/files.txt
 *   /tmp/stat-floor abs|rel|rel2 /tmp/dirs.txt /tmp/files.txt
 *
 * abs: absolute paths (what erlint did before); rel: relative to an `O_PATH` descriptor of
 * the current directory (what it does now); rel2: the same on two threads. One pass per
 * process: time it from outside (fork to wait4), as scripts/precommit-bench.py does.
 *
 * read2: the read floor of the cold search over git's index instead: each file of the
 * list opened relative to the current directory, read with one `read` (a 64 KiB buffer)
 * and closed, on two threads: what the cold run does for one file per content (the list
 * scripts/precommit-bench.py writes from `git ls-files -s`). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *paths[1 << 20];
static int count, topfd, mode;
static char top[4096];

static void load(const char *list) {
    FILE *f = fopen(list, "r");
    char line[4096];
    if (!f) { perror(list); exit(2); }
    while (count < (1 << 20) && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (mode == 0) {
            char p[8192];
            snprintf(p, sizeof p, "%s/%s", top, line);
            paths[count++] = strdup(p);
        } else {
            paths[count++] = strdup(line[0] ? line : ".");
        }
    }
    fclose(f);
}

static void *work(void *arg) {
    long first = (long)arg;
    int step = mode >= 2 ? 2 : 1;
    struct statx st;
    static __thread char buf[1 << 16];
    for (int i = first; i < count; i += step) {
        if (mode == 3) {
            int fd = openat(topfd, paths[i], O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                if (read(fd, buf, sizeof buf) < 0) perror(paths[i]);
                close(fd);
            }
        } else {
            statx(mode == 0 ? AT_FDCWD : topfd, paths[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st);
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: stat-floor abs|rel|rel2|read2 LIST...\n"); return 2; }
    mode = !strcmp(argv[1], "abs") ? 0 : !strcmp(argv[1], "rel") ? 1 : !strcmp(argv[1], "rel2") ? 2 : 3;
    if (!getcwd(top, sizeof top)) return 2;
    for (int i = 2; i < argc; i++) load(argv[i]);
    topfd = open(".", O_PATH | O_DIRECTORY);
    if (mode >= 2) {
        pthread_t t[2];
        for (long k = 0; k < 2; k++) pthread_create(&t[k], 0, work, (void *)k);
        for (int k = 0; k < 2; k++) pthread_join(t[k], 0);
    } else {
        work(0);
    }
    return 0;
}
