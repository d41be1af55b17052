/* child.h - how a forked (or vforked) child that runs none of our code
 * leaves: the exit_group system call itself.
 *
 * _exit would do the same, except under ThreadSanitizer: TSan turns vfork
 * into fork and intercepts _exit, where it runs its exit-time checks in
 * the child.  The child is a one-thread copy of a multi-threaded parent,
 * so TSan would report the parent's finished, not yet joined threads as
 * "thread leaks" (exit 66) depending on timing.  Such a child runs no
 * instrumented code: there is nothing for TSan to check in it, and the
 * parent keeps every check (races, its own leaks at its own exit). */
#ifndef PTB_CHILD_H
#define PTB_CHILD_H

#include <sys/syscall.h>
#include <unistd.h>

static inline _Noreturn void ptb_child_exit(int status)
{
	for (;;)
		syscall(SYS_exit_group, status);
}

#endif
