# plugin.mk - your own C workload as a plugin: `ptbench run -w plugin:PATH.so`
# (lib/plugin.c loads it; include/ptbench/plugin.h is its ABI, installed
# by make install under PREFIX/include/ptbench/; examples/plugin/ holds
# the SHA-256 example).
#
#   make test-plugin  tests/plugin/test_plugin.sh: builds the example and
#                     the test plugins (crash, hang, bad ones) into a
#                     temporary directory, then: bad input exits 2 with one
#                     line and no CSV (a missing file, a text file, an ELF
#                     without the symbol, a wrong ABI version, an option the
#                     plugin does not declare, a bad option table); the
#                     example's rows are ok=1 with exact results in thread,
#                     fork, threadpool, procpool (sync and async) and mpi
#                     when built; vfork and Python models refuse it; a
#                     crashing plugin gives ok=0 rows with the signal and
#                     the next model still runs; a hanging one ends at
#                     --timeout; nothing is left behind (part of make test)

# The public header, as a plugin includes it: <ptbench/plugin.h>.
CPPFLAGS += -Iinclude
# dlopen: in libc since glibc 2.34, in libdl before (an empty stub now)
LDLIBS   += -ldl
$(B)/obj/lib/plugin.o: include/ptbench/plugin.h

.PHONY: test-plugin
TEST_TARGETS += test-plugin

test-plugin: all
	tests/plugin/test_plugin.sh $(B)
