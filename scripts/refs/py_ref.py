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
  py_ref.py share -m thread|process -l MESSAGES
      one worker hands MESSAGES (number, 64 KiB bytes object) tuples (6
      objects, made before the clock, in turn) to another through a queue
      of at most 4: queue.Queue between two threads, or
      multiprocessing.Queue (pickled) to a forked process; the clock runs
      from a barrier both pass to the consumer's last get, which checks
      the numbers' order and the lengths; prints the ns per message
      (bench/py/wl_share.py --consume none: --via heap for threads, --via
      queue for processes; ptbench's xfer_ns / chunks).

Bad input: one line on stderr, exit status 2."""
import multiprocessing
import queue
import sys
import threading
import time
import types

SHARE_CHUNK = 65536
SHARE_OBJECTS = 6


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


def take(q, loops, barrier, end):
    barrier.wait()
    got = 0
    for i in range(loops):
        n, data = q.get()
        got += len(data) if n == i else 0
    end.value = time.monotonic_ns() if got == loops * SHARE_CHUNK else -1


def share(kind, loops):
    objs = [bytes([i]) * SHARE_CHUNK for i in range(SHARE_OBJECTS)]
    if kind == "thread":
        q, barrier, end = queue.Queue(4), threading.Barrier(2), types.SimpleNamespace(value=0)
        w = threading.Thread(target=take, args=(q, loops, barrier, end))
    else:
        ctx = multiprocessing.get_context("fork")
        q, barrier, end = ctx.Queue(4), ctx.Barrier(2), ctx.Value("q", 0, lock=False)
        w = ctx.Process(target=take, args=(q, loops, barrier, end))
    w.start()
    barrier.wait()
    t0 = time.monotonic_ns()
    for i in range(loops):
        q.put((i, objs[i % SHARE_OBJECTS]))
    w.join()
    if end.value <= 0:
        sys.exit("py_ref.py: the consumer did not get %d messages of %d bytes in order"
                 % (loops, SHARE_CHUNK))
    return (end.value - t0) / loops


def main(argv):
    usage = "usage: py_ref.py create|switch|share -m thread|process -l N (N >= 1)"
    if len(argv) != 5 or argv[0] not in ("create", "switch", "share") or argv[1] != "-m" \
            or argv[2] not in ("thread", "process") or argv[3] != "-l" or not argv[4].isdigit() \
            or int(argv[4]) < 1:
        print("py_ref.py: bad arguments %r (%s)" % (" ".join(argv), usage), file=sys.stderr)
        return 2
    run = {"create": create, "switch": switch, "share": share}[argv[0]]
    print("%.1f" % run(argv[2], int(argv[4])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
