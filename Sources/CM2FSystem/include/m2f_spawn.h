#ifndef M2F_SPAWN_H
#define M2F_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv`/`envp` (NULL-terminated) and the given descriptors as its stdin, stdout
/// and stderr (-1: /dev/null). On Linux the child is killed (SIGKILL) when m2f dies, however m2f dies.
/// Returns the child's pid, or -errno when it could not be started.
pid_t m2f_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd, int stderr_fd);

/// A pipe whose two ends are closed on exec, so no other child inherits them (0, or -errno).
int m2f_pipe(int fds[2]);

#endif
