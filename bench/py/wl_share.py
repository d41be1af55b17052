"""wl_share.py - `share` in Python (claim C4: "processes need IPC to share
data, and IPC needs serialization"), as bench/w_share.c does in C.

Task 0 produces; tasks 1..N-1 consume, each through its own channel; chunk
c (--chunk bytes, the last one shorter) goes to consumer c mod (N-1), so
the total moved is --bytes whatever N is.  With one task it produces each
chunk and consumes it itself.  The channels (--via):
  heap         queue.Queue of references to bytearrays the producer
               recycles (RING_SLOTS + 2 per consumer, made before the
               clock): the consumer gets the producer's buffer (zero copy).
               Threads only: a process's heap is its own.
  heap-malloc  queue.Queue of a new bytes object per chunk (bytes(): a copy
               into a new allocation, freed when the consumer drops it),
               what Python code usually puts in a queue.  Threads only.
  queue        multiprocessing.Queue: every chunk pickled, written to a
               pipe by a feeder thread, read and unpickled (any model).
  pipe         multiprocessing.Pipe: Connection.send_bytes / recv_bytes, the
               bytes through the kernel with no pickling (any model).
  shm          multiprocessing.shared_memory: 4 slots of --chunk bytes per
               consumer, which the producer writes and the consumer reads in
               place (zero copy), with two semaphores per ring (any model).
socketpair and --encode 1 are C's (the Python channels pickle or not by
their nature).  Every in-flight queue holds at most 4 chunks, as C's rings.

Chunk c is a fixed pseudo-random pattern with c's stamp (8 bytes) over
its first and its last 8 bytes.  The work on the bytes (--consume):
  sum   the producer writes every byte of each chunk (the pattern, then
        the stamps) and the consumer folds every byte into zlib.crc32;
  none  the channel alone: the buffers hold the pattern before the clock,
        the producer writes only the stamps and the consumer reads only
        them (and the length); heap-malloc still makes a new object per
        chunk.  verify then checks that every chunk arrived once, in order,
        whole length.
verify regenerates what each consumer must have folded and compares, so a
lost, repeated or reordered chunk changes the checksum.  result = bytes
that arrived intact (must be --bytes); ops = bytes, so ns_per_op is ns per
byte.

What is timed, as in C: the tasks meet at a barrier; the producer reads
the clock as it passes it, each consumer when it has taken in its last
chunk, and around every crc32 pass.  notes: chunks, xfer_ns (the last consumer's
end - the start: bytes/s of the channel = bytes * 1e9 / xfer_ns),
handover_ns_per_chunk (the consumers' time outside their crc32 passes per
chunk), consume_ns_per_chunk (their crc32 passes per chunk; 0 with
--consume none).

Shared-memory segments are named PREFIX.PID.N, where PREFIX is what the
driver passes (--shm-prefix, ptbench-py.DRIVERPID), so the driver removes
whatever a killed run left in /dev/shm; the runner unlinks its own in
teardown."""

import multiprocessing
import os
import queue
import random
import struct
import zlib

from ptpy_common import RunError, Shared, choice_opt, count_opt, now_ns

RING_SLOTS = 4
POOL = RING_SLOTS + 2  # recycled buffers per consumer: never one still in use
SELF_PIECE_BYTES = 32768  # one task alone: pieces a pipe holds without a reader
VIAS = ("heap", "shm", "pipe", "socketpair", "queue", "heap-malloc")
THREADS_ONLY = ("heap", "heap-malloc")
_PATTERNS = {}


def pattern(n):
    """n pseudo-random bytes, the same in every process (seeded)."""
    if n not in _PATTERNS:
        _PATTERNS[n] = bytes(random.Random(0x50544250).randbytes(n))
    return _PATTERNS[n]


def stamp_into(buf, c, n):
    """Chunk c's stamp over the first and the last min(8, n) bytes of buf[:n]."""
    s = struct.pack("<Q", c)[:min(8, n)]
    buf[:len(s)] = s
    buf[n - len(s):n] = s


def write_chunk(st, buf, c, n):
    """Chunk c into buf[:n]: every byte (--consume sum) or the stamps only."""
    if st.sum:
        buf[:n] = memoryview(pattern(st.chunk))[:n]
    stamp_into(buf, c, n)


def fold(data, n, crc):
    """What the consumer folds of a chunk with --consume none: its stamps."""
    k = min(8, n)
    return zlib.crc32(data[n - k:n], zlib.crc32(data[:k], crc))


def chunk_len(st, c):
    return min(st.chunk, st.bytes - c * st.chunk)


class ShareState:
    def __init__(self, job, shm_name):
        shared = Shared(job)
        sync = shared.sync()
        self.via = job.opts["via"]
        self.sum = job.opts["consume"] == "sum"
        self.bytes, self.chunk = job.opts["bytes"], job.opts["chunk"]
        self.nchunks = -(-self.bytes // self.chunk)
        self.nconsumers = max(job.tasks - 1, 1)
        self.alone = job.tasks == 1
        self.got = shared.ints(self.nconsumers)
        self.crc = shared.ints(self.nconsumers)
        self.start_ns = shared.ints(1)
        self.end_ns = shared.ints(self.nconsumers)
        self.consume_ns = shared.ints(self.nconsumers)
        self.start = shared.barrier(job.tasks)
        self.shm = None
        k = range(self.nconsumers)
        if self.via in THREADS_ONLY:
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
            body = pattern(self.chunk)
            for off in range(0, size, self.chunk):
                self.shm.buf[off:off + self.chunk] = body
            self.empty = [sync.Semaphore(RING_SLOTS) for _ in k]
            self.full = [sync.Semaphore(0) for _ in k]


# ---- producer and consumer, per channel ----------------------------------

class Producer:
    """The producer's buffers: its own chunk (pipe, heap-malloc) and the
    recycled buffers of heap and queue, made before the clock."""

    def __init__(self, st):
        self.own = bytearray(pattern(st.chunk))
        self.view = memoryview(self.own)
        recycled = st.via in ("heap", "queue")
        self.pools = [[bytearray(pattern(st.chunk)) for _ in range(POOL)] if recycled else []
                      for _ in range(st.nconsumers)]

    def release(self):
        self.view.release()


def hand_over(buf, n):
    """The object a queue carries: the buffer itself, or for the shorter
    last chunk a bytes copy of its first n bytes."""
    return buf if n == len(buf) else bytes(memoryview(buf)[:n])


def produce(st, p, c, n):
    k, j = c % st.nconsumers, c // st.nconsumers
    if st.via in ("heap", "queue"):
        buf = p.pools[k][j % POOL]
        write_chunk(st, buf, c, n)
        st.chan[k].put(hand_over(buf, n))  # heap: a reference; queue: pickled by the feeder
    elif st.via == "heap-malloc":
        stamp_into(p.own, c, n)
        st.chan[k].put(bytes(p.view[:n]))  # a new object per chunk
    elif st.via == "pipe":
        write_chunk(st, p.own, c, n)
        st.chan[k][1].send_bytes(p.own, 0, n)
    else:
        off = (k * RING_SLOTS + j % RING_SLOTS) * st.chunk
        if not st.empty[k].acquire(timeout=60):
            raise RunError("share: consumer %d took no chunk for 60 s" % k)
        write_chunk(st, st.shm.buf[off:off + n], c, n)
        st.full[k].release()


def take_in(st, k, data, n, crc):
    """The consumer's work on a chunk it holds: crc32 of every byte
    (timed), or of the stamps."""
    if not st.sum:
        return fold(data, n, crc)
    t0 = now_ns()
    crc = zlib.crc32(data, crc)
    st.consume_ns[k] += now_ns() - t0
    return crc


def consume(st, k, j, n, crc):
    """Consumer k's j-th chunk (n bytes) folded into crc."""
    if st.via == "shm":
        off = (k * RING_SLOTS + j % RING_SLOTS) * st.chunk
        if not st.full[k].acquire(timeout=60):
            raise RunError("share: no chunk for consumer %d for 60 s" % k)
        crc = take_in(st, k, st.shm.buf[off:off + n], n, crc)
        st.empty[k].release()
        return crc, n
    if st.via == "pipe":
        data = st.chan[k][0].recv_bytes()
    else:
        data = st.chan[k].get(timeout=60)
    if len(data) != n:
        raise RunError("share: consumer %d got %d bytes, expected %d" % (k, len(data), n))
    return take_in(st, k, data, n, crc), n


def producer(st):
    p = Producer(st)
    try:
        st.start.wait()
        st.start_ns[0] = now_ns()
        for c in range(st.nchunks):
            n = chunk_len(st, c)
            if st.alone:
                produce_and_consume(st, p, c, n)
            else:
                produce(st, p, c, n)
        if st.alone:
            st.end_ns[0] = now_ns()
    finally:
        p.release()


def produce_and_consume(st, p, c, n):
    """One task alone: a pipe is fed in pieces it holds without a reader."""
    if st.via != "pipe":
        produce(st, p, c, n)
        crc, got = consume(st, 0, c, n, st.crc[0])
    else:
        write_chunk(st, p.own, c, n)
        data = bytearray()
        for off in range(0, n, SELF_PIECE_BYTES):
            piece = min(SELF_PIECE_BYTES, n - off)
            st.chan[0][1].send_bytes(p.own, off, piece)
            data += st.chan[0][0].recv_bytes()
        crc, got = take_in(st, 0, data, n, st.crc[0]), len(data)
    st.crc[0], st.got[0] = crc, st.got[0] + got


def consumer(st, k):
    crc = got = 0
    st.start.wait()
    for j, c in enumerate(range(k, st.nchunks, st.nconsumers)):
        crc, n = consume(st, k, j, chunk_len(st, c), crc)
        got += n
    st.end_ns[k] = now_ns()
    st.crc[k], st.got[k] = crc, got


def expected_crcs(st):
    buf = bytearray(pattern(st.chunk))
    crcs = [0] * st.nconsumers
    for c in range(st.nchunks):
        n = chunk_len(st, c)
        buf[:] = pattern(st.chunk)
        stamp_into(buf, c, n)
        k = c % st.nconsumers
        data = memoryview(buf)[:n]
        crcs[k] = zlib.crc32(data, crcs[k]) if st.sum else fold(data, n, crcs[k])
    return crcs


def time_notes(st):
    """chunks, xfer_ns, handover_ns_per_chunk, consume_ns_per_chunk (see the top)."""
    start = st.start_ns[0]
    ends = [st.end_ns[k] for k in range(st.nconsumers)]
    consumed = [st.consume_ns[k] for k in range(st.nconsumers)]
    outside = sum(e - start - c for e, c in zip(ends, consumed) if e > start)
    return "chunks=%d;xfer_ns=%d;handover_ns_per_chunk=%.0f;consume_ns_per_chunk=%.0f" % (
        st.nchunks, max(ends + [start]) - start, max(outside, 0) / st.nchunks, sum(consumed) / st.nchunks)


class Share:
    spec = {"bytes": count_opt(1), "chunk": count_opt(1), "via": choice_opt(*VIAS),
            "encode": choice_opt("0", "1"), "consume": choice_opt("sum", "none")}
    defaults = {"bytes": 64 << 20, "chunk": 64 << 10, "via": "shm", "encode": "0",
                "consume": "sum"}
    gang = True
    _segments = 0

    @staticmethod
    def refuse(job):
        via = job.opts["via"]
        if via == "socketpair":
            return "--via socketpair is C's: use heap, heap-malloc, queue, pipe or shm"
        if job.opts["encode"] != "0":
            return "--encode 1 is C's stand-in for pickling: a Python queue pickles by itself (--encode 0)"
        if via in THREADS_ONLY and job.processes:
            return "--via %s needs one address space (threads): use queue, pipe or shm" % via
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
        return st.bytes, intact, intact == st.bytes, {"notes": time_notes(st)}

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
