#!/usr/bin/env python3
"""py_ref.py - the Python anchors' reference: what ptbench's Python models
time, in a bare stdlib loop with no harness, for `make anchors`
(scripts/anchors.sh), which alternates it with ptbench and reports the
ratio.

  py_ref.py create -m thread|process -l COUNT
      COUNT times: start an empty threading.Thread (or a
      multiprocessing.Process, fork start method) and join it; prints the
      ns per creation (bench/py/wl_create.py does the same in the runner).
  py_ref.py switch -m thread|process -l LOOPS
      two workers ping-pong an int through one multiprocessing.Pipe
      (send/recv), LOOPS round trips, the second worker started and joined
      inside the clock as ptbench does; prints the ns per round trip
      (bench/py/wl_switch.py --via pipe).

Bad input: one line on stderr, exit status 2."""
import multiprocessing
import sys
import threading
import time


def empty():
    pass


def create(kind, count):
    ctx = multiprocessing.get_context("fork")
    t0 = time.monotonic_ns()
    for _ in range(count):
        w = threading.Thread(target=empty) if kind == "thread" else ctx.Process(target=empty)
        w.start()
        w.join()
    return (time.monotonic_ns() - t0) / count


def pong(conn, loops):
    for _ in range(loops):
        conn.send(conn.recv() + 1)


def switch(kind, loops):
    ctx = multiprocessing.get_context("fork")
    ping_end, pong_end = ctx.Pipe()
    t0 = time.monotonic_ns()
    w = threading.Thread(target=pong, args=(pong_end, loops)) if kind == "thread" \
        else ctx.Process(target=pong, args=(pong_end, loops))
    w.start()
    m = 0
    for _ in range(loops):
        ping_end.send(m)
        m = ping_end.recv()
    w.join()
    elapsed = time.monotonic_ns() - t0
    if m != loops:
        sys.exit("py_ref.py: the token came back as %d, not %d" % (m, loops))
    return elapsed / loops


def main(argv):
    usage = "usage: py_ref.py create|switch -m thread|process -l N (N >= 1)"
    if len(argv) != 5 or argv[0] not in ("create", "switch") or argv[1] != "-m" \
            or argv[2] not in ("thread", "process") or argv[3] != "-l" or not argv[4].isdigit() \
            or int(argv[4]) < 1:
        print("py_ref.py: bad arguments %r (%s)" % (" ".join(argv), usage), file=sys.stderr)
        return 2
    run = create if argv[0] == "create" else switch
    print("%.1f" % run(argv[2], int(argv[4])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
