"""wl_share.py - `share` in Python (claim C4: "processes need IPC to share
data, and IPC needs serialization"), as bench/w_share.c does in C.

Task 0 produces; tasks 1..N-1 consume, each through its own channel; chunk
c (--chunk bytes, the last one shorter) goes to consumer c mod (N-1), so
the total moved is --bytes whatever N is.  With one task it produces each
chunk and consumes it itself.  The channels (--via):
  heap   queue.Queue of bytes objects: the consumer gets a reference to
         the producer's object (zero copy).  Threads only: a process's
         heap is its own.
  queue  multiprocessing.Queue: every chunk pickled, written to a pipe by
         a feeder thread, read and unpickled (any model).
  pipe   multiprocessing.Pipe: Connection.send_bytes / recv_bytes, the
         bytes through the kernel with no pickling (any model).
  shm    multiprocessing.shared_memory: 4 slots of --chunk bytes per
         consumer, which the producer writes and the consumer reads in
         place (zero copy), with two semaphores per ring (any model).
socketpair and --encode 1 are C's (the Python channels pickle or not by
their nature).  Every in-flight queue holds at most 4 chunks, as C's rings.

Shared-memory segments are named PREFIX.PID.N, where PREFIX is what the
driver passes (--shm-prefix, ptbench-py.DRIVERPID), so the driver removes
whatever a killed run left in /dev/shm; the runner unlinks its own in
teardown.

The consumer folds every byte it receives into zlib.crc32; verify
regenerates the data and compares.  Chunk c is a fixed pseudo-random
pattern with c in its first 8 bytes, so a lost, repeated or reordered
chunk changes the checksum.  result = bytes that arrived intact (must be
--bytes); ops = bytes, so ns_per_op is ns per byte."""

import multiprocessing
import os
import queue
import random
import struct
import zlib

from ptpy_common import RunError, Shared, choice_opt, count_opt

RING_SLOTS = 4
SELF_PIECE_BYTES = 32768  # one task alone: pieces a pipe holds without a reader
VIAS = ("heap", "shm", "pipe", "socketpair", "queue")
_PATTERNS = {}


def pattern(n):
    """n pseudo-random bytes, the same in every process (seeded)."""
    if n not in _PATTERNS:
        _PATTERNS[n] = bytearray(random.Random(0x50544250).randbytes(n))
    return _PATTERNS[n]


def chunk_into(buf, c, n):
    """Chunk c (n bytes) into buf[:n]: the pattern with c in front."""
    head = struct.pack("<Q", c)[:n]
    buf[:len(head)] = head
    return buf


def chunk_len(st, c):
    return min(st.chunk, st.bytes - c * st.chunk)


class ShareState:
    def __init__(self, job, shm_name):
        shared = Shared(job)
        sync = shared.sync()
        self.via = job.opts["via"]
        self.bytes, self.chunk = job.opts["bytes"], job.opts["chunk"]
        self.nchunks = -(-self.bytes // self.chunk)
        self.nconsumers = max(job.tasks - 1, 1)
        self.alone = job.tasks == 1
        self.got = shared.ints(self.nconsumers)
        self.crc = shared.ints(self.nconsumers)
        self.shm = None
        k = range(self.nconsumers)
        if self.via == "heap":
            self.chan = [queue.Queue(RING_SLOTS) for _ in k]
        elif self.via == "queue":
            self.chan = [(job.ctx or multiprocessing).Queue(RING_SLOTS) for _ in k]
        elif self.via == "pipe":
            ctx = job.ctx or multiprocessing
            self.chan = [ctx.Pipe(duplex=False) for _ in k]  # (read end, write end)
        else:
            from multiprocessing import shared_memory
            size = self.nconsumers * RING_SLOTS * self.chunk
            self.shm = shared_memory.SharedMemory(name=shm_name, create=True, size=size)
            self.empty = [sync.Semaphore(RING_SLOTS) for _ in k]
            self.full = [sync.Semaphore(0) for _ in k]


# ---- producer and consumer, per channel ----------------------------------

def produce(st, c, n, buf, view):
    k = c % st.nconsumers
    if st.via == "heap":
        st.chan[k].put(bytes(view[:n]))  # the producer's new object, handed over
    elif st.via == "queue":
        st.chan[k].put(bytes(view[:n]))
    elif st.via == "pipe":
        st.chan[k][1].send_bytes(buf, 0, n)
    else:
        slot = (c // st.nconsumers) % RING_SLOTS
        off = (k * RING_SLOTS + slot) * st.chunk
        if not st.empty[k].acquire(timeout=60):
            raise RunError("share: consumer %d took no chunk for 60 s" % k)
        st.shm.buf[off:off + n] = view[:n]
        st.full[k].release()


def consume(st, k, j, n, crc):
    """Consumer k's j-th chunk (n bytes) folded into crc."""
    if st.via in ("heap", "queue"):
        data = st.chan[k].get(timeout=60)
    elif st.via == "pipe":
        data = st.chan[k][0].recv_bytes()
    else:
        off = (k * RING_SLOTS + j % RING_SLOTS) * st.chunk
        if not st.full[k].acquire(timeout=60):
            raise RunError("share: no chunk for consumer %d for 60 s" % k)
        crc = zlib.crc32(st.shm.buf[off:off + n], crc)
        st.empty[k].release()
        return crc, n
    if len(data) != n:
        raise RunError("share: consumer %d got %d bytes, expected %d" % (k, len(data), n))
    return zlib.crc32(data, crc), n


def producer(st):
    buf = bytearray(pattern(st.chunk))
    view = memoryview(buf)
    try:
        for c in range(st.nchunks):
            n = chunk_len(st, c)
            chunk_into(buf, c, n)
            if st.alone:
                produce_and_consume(st, c, n, buf, view)
            else:
                produce(st, c, n, buf, view)
    finally:
        view.release()


def produce_and_consume(st, c, n, buf, view):
    """One task alone: a pipe is fed in pieces it holds without a reader."""
    if st.via != "pipe":
        produce(st, c, n, buf, view)
        crc, got = consume(st, 0, c, n, st.crc[0])
    else:
        crc, got = st.crc[0], 0
        for off in range(0, n, SELF_PIECE_BYTES):
            piece = min(SELF_PIECE_BYTES, n - off)
            st.chan[0][1].send_bytes(buf, off, piece)
            data = st.chan[0][0].recv_bytes()
            crc, got = zlib.crc32(data, crc), got + len(data)
    st.crc[0], st.got[0] = crc, st.got[0] + got


def consumer(st, k):
    crc = got = 0
    for j, c in enumerate(range(k, st.nchunks, st.nconsumers)):
        crc, n = consume(st, k, j, chunk_len(st, c), crc)
        got += n
    st.crc[k], st.got[k] = crc, got


def expected_crcs(st):
    buf = bytearray(pattern(st.chunk))
    crcs = [0] * st.nconsumers
    for c in range(st.nchunks):
        n = chunk_len(st, c)
        chunk_into(buf, c, n)
        k = c % st.nconsumers
        crcs[k] = zlib.crc32(memoryview(buf)[:n], crcs[k])
    return crcs


class Share:
    spec = {"bytes": count_opt(1), "chunk": count_opt(1), "via": choice_opt(*VIAS),
            "encode": choice_opt("0", "1")}
    defaults = {"bytes": 64 << 20, "chunk": 64 << 10, "via": "shm", "encode": "0"}
    gang = True
    _segments = 0

    @staticmethod
    def refuse(job):
        via = job.opts["via"]
        if via == "socketpair":
            return "--via socketpair is C's: use heap, queue, pipe or shm"
        if job.opts["encode"] != "0":
            return "--encode 1 is C's stand-in for pickling: a Python queue pickles by itself (--encode 0)"
        if via == "heap" and job.processes:
            return "--via heap needs one address space (threads): use queue, pipe or shm"
        return None

    @staticmethod
    def setup(job):
        Share._segments += 1
        name = "%s.%d.%d" % (job.shm_prefix, os.getpid(), Share._segments)
        pattern(job.opts["chunk"])  # made before the clock (and inherited by fork)
        return ShareState(job, name)

    @staticmethod
    def task(st, t, ntasks):
        if t == 0:
            producer(st)
        else:
            consumer(st, t - 1)
        return 1

    @staticmethod
    def verify(job, st, results):
        want = expected_crcs(st)
        intact = sum(st.got[k] for k in range(st.nconsumers) if st.crc[k] == want[k])
        return st.bytes, intact, intact == st.bytes

    @staticmethod
    def teardown(job, st):
        if st.shm is not None:
            st.shm.close()
            st.shm.unlink()
        elif st.via == "pipe":
            for r, w in st.chan:
                r.close()
                w.close()
        elif st.via == "queue":
            for q in st.chan:
                q.close()
                q.join_thread()
