// Child processes that die with m2f.
//
// PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the process: a child
// started from a short-lived worker thread would be killed when that thread retires. So every child
// is forked by one spawner thread that lives as long as the process; callers hand it their request
// and wait for the pid.
#define _GNU_SOURCE
#include "m2f_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

struct request {
    const char *path;
    char *const *argv;
    char *const *envp;
    int fds[3];
    pid_t result;
    int done;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static struct request *pending;
static pthread_once_t started = PTHREAD_ONCE_INIT;
static pid_t parent_pid;

// Runs in the child between fork and exec: only async-signal-safe calls.
static void exec_child(struct request *r, int report) {
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent_pid) _exit(127);  // m2f died before the line above took effect
#endif
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    for (int target = 0; target < 3; target++) {
        int fd = r->fds[target];
        if (fd < 0) fd = open("/dev/null", (target == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
        if (fd < 0 || dup2(fd, target) < 0) goto failed;
    }
    execve(r->path, r->argv, r->envp);
failed:;
    int code = errno;
    (void)!write(report, &code, sizeof code);
    _exit(127);
}

int m2f_pipe(int fds[2]) {
#ifdef __linux__
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : -errno;
#else
    if (pipe(fds) != 0) return -errno;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

static pid_t fork_child(struct request *r) {
    // A close-on-exec pipe tells us whether exec succeeded (EOF) or why it failed (errno).
    int report[2];
    int failed = m2f_pipe(report);
    if (failed != 0) return failed;
    pid_t pid = fork();
    if (pid < 0) {
        int code = errno;
        close(report[0]);
        close(report[1]);
        return -code;
    }
    if (pid == 0) {
        close(report[0]);
        exec_child(r, report[1]);
    }
    close(report[1]);
    int code = 0;
    ssize_t got;
    do { got = read(report[0], &code, sizeof code); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == sizeof code) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -code;
    }
    return pid;
}

static void *spawner(void *unused) {
    (void)unused;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (pending == NULL || pending->done) pthread_cond_wait(&changed, &lock);
        pending->result = fork_child(pending);
        pending->done = 1;
        pthread_cond_broadcast(&changed);
    }
    return NULL;
}

static void start_spawner(void) {
    parent_pid = getpid();
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_create(&thread, &attributes, spawner, NULL);
    pthread_attr_destroy(&attributes);
}

pid_t m2f_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd, int stderr_fd) {
    pthread_once(&started, start_spawner);
    struct request r = { path, argv, envp, { stdin_fd, stdout_fd, stderr_fd }, 0, 0 };
    pthread_mutex_lock(&lock);
    while (pending != NULL) pthread_cond_wait(&changed, &lock);  // one request at a time
    pending = &r;
    pthread_cond_broadcast(&changed);
    while (!r.done) pthread_cond_wait(&changed, &lock);
    pending = NULL;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    return r.result;
}
