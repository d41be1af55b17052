/* test_helpers.c - the checks the other suites rely on must be able to
 * fail: a zombie child, a live child, a stray file and a new /dev/shm
 * entry are each detected, so "nothing left behind" is not vacuous. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"
#include "suites.h"

/* Wait until child is a zombie (waitid WNOWAIT leaves it unreaped). */
static bool wait_zombie(pid_t child)
{
	siginfo_t si = { 0 };
	return waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == child;
}

static void test_zombie_detected(void)
{
	CU_ASSERT_TRUE_FATAL(th_no_children());
	pid_t child = fork();
	CU_ASSERT_FATAL(child >= 0);
	if (child == 0)
		_exit(0);
	CU_ASSERT_TRUE(wait_zombie(child));
	CU_ASSERT_EQUAL(th_count_children_of(getpid()), 1);
	CU_ASSERT_FALSE(th_no_children());	/* reaps it, reporting a leftover */
	CU_ASSERT_TRUE(th_no_children());
}

static void test_live_child_detected(void)
{
	pid_t child = fork();
	CU_ASSERT_FATAL(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	CU_ASSERT_FALSE(th_no_children());
	CU_ASSERT_EQUAL(kill(child, SIGKILL), 0);
	CU_ASSERT_EQUAL(waitpid(child, NULL, 0), child);
	CU_ASSERT_TRUE(th_no_children());
}

static void test_stray_file_detected(void)
{
	char dir[1024], path[2048], before[4096], after[4096];
	CU_ASSERT_FATAL(th_mkdtemp(dir, sizeof dir) == 0);
	CU_ASSERT_EQUAL(th_list_tree(dir, before, sizeof before), 0);
	CU_ASSERT_STRING_EQUAL(before, "");
	snprintf(path, sizeof path, "%s/sub", dir);
	CU_ASSERT_EQUAL(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/sub/left", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	CU_ASSERT(fd >= 0);
	if (fd >= 0)
		close(fd);
	CU_ASSERT_EQUAL(th_list_tree(dir, after, sizeof after), 0);
	CU_ASSERT_STRING_EQUAL(after, "sub\nsub/left\n");
	CU_ASSERT_EQUAL(th_rmtree(dir), 0);
	CU_ASSERT_FALSE(th_exists(dir));
}

static void test_shm_entry_detected(void)
{
	char name[64], before[65536], after[65536], fresh[256];
	snprintf(name, sizeof name, "/ptbtest-%ld", (long)getpid());
	CU_ASSERT_EQUAL_FATAL(th_list_dir("/dev/shm", before, sizeof before), 0);
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL(th_list_dir("/dev/shm", after, sizeof after), 0);
	CU_ASSERT_TRUE(th_new_names(before, after, fresh, sizeof fresh) >= 1);
	CU_ASSERT_TRUE(th_left_in_dir("/dev/shm", before, fresh, sizeof fresh) >= 1);
	TH_CHECK(strstr(fresh, name + 1) != NULL, "left names: [%s]", fresh);
	CU_ASSERT_EQUAL(shm_unlink(name), 0);
	/* one created and removed again meanwhile is not a leftover */
	CU_ASSERT_EQUAL(th_left_in_dir("/dev/shm", before, fresh, sizeof fresh), 0);
}

int th_add_helper_suite(void)
{
	CU_pSuite s = CU_add_suite("leftover detectors", NULL, NULL);
	if (!s || !CU_add_test(s, "a zombie child is seen", test_zombie_detected) ||
	    !CU_add_test(s, "a live child is seen", test_live_child_detected) ||
	    !CU_add_test(s, "a stray file in a subdirectory is seen", test_stray_file_detected) ||
	    !CU_add_test(s, "a new /dev/shm entry is seen", test_shm_entry_detected))
		return -1;
	return 0;
}
