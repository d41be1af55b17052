/* child.h - how a forked (or vforked) child that runs none of our code
 * leaves, and how a child asks to die with its parent.
 *
 * Normally by _exit, as a bare program's child does: with ptbench linked
 * -z now (Makefile), _exit is already bound, and it sits in libc next to
 * fork, so the child touches no code page the reference's child does not
 * (make anchors; doc/methodology.md).
 *
 * Under ThreadSanitizer by the exit_group system call itself: TSan turns
 * vfork into fork and intercepts _exit, where it runs its exit-time checks
 * in the child.  The child is a one-thread copy of a multi-threaded parent,
 * so TSan would report the parent's finished, not yet joined threads as
 * "thread leaks" (exit 66) depending on timing.  Such a child runs no
 * instrumented code: there is nothing for TSan to check in it, and the
 * parent keeps every check (races, its own leaks at its own exit). */
#ifndef PTB_CHILD_H
#define PTB_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__SANITIZE_THREAD__)
#define PTB_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PTB_UNDER_TSAN 1
#endif
#endif

static inline _Noreturn void ptb_child_exit(int status)
{
#ifdef PTB_UNDER_TSAN
	for (;;)
		syscall(SYS_exit_group, status);
#else
	_exit(status);
#endif
}

/* In a child: ask for SIGKILL when the parent dies (PR_SET_PDEATHSIG; the
 * kernel means the thread that forked).  False when the request failed or
 * the parent (pid parent) died before it was made, which it cannot catch:
 * the child should then end at once. */
static inline bool ptb_child_die_with(pid_t parent)
{
	return prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == parent;
}

#endif
