# plugin.mk - your own C workload as a plugin: `ptbench run -w plugin:PATH.so`
# (lib/plugin.c loads it; include/ptbench/plugin.h is its ABI, installed
# by make install under PREFIX/include/ptbench/; examples/plugin/ holds
# the SHA-256 example).

# The public header, as a plugin includes it: <ptbench/plugin.h>.
CPPFLAGS += -Iinclude
$(B)/obj/lib/plugin.o: include/ptbench/plugin.h
