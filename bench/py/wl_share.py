"""wl_share.py - `share` in Python (claim C4: "processes need IPC to share
data, and IPC needs serialization"), as bench/w_share.c does in C.

Task 0 produces; tasks 1..N-1 consume, each through its own channel; chunk
c (--chunk bytes, the last one shorter) goes to consumer c mod (N-1), so
the total moved is --bytes whatever N is.  With one task it produces each
chunk and consumes it itself.  The channels (--via):
  heap         queue.Queue of (chunk number, payload) tuples: the consumer
               gets references to the producer's objects (zero copy).
               Threads only: a process's heap is its own.
  heap-malloc  the same, with a new bytes object per chunk (bytes(): a copy
               into a new allocation, freed when the consumer drops it),
               what Python code usually puts in a queue.  Threads only.
  queue        multiprocessing.Queue of the same tuples: every one pickled,
               written to a pipe by a feeder thread, read and unpickled
               (any model).
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
        the stamps: into a recycled bytearray for heap, RING_SLOTS + 2 per
        consumer so none is still in use; into a new bytes object for
        heap-malloc and queue; into its own buffer for pipe, into the slot
        for shm) and the consumer folds every byte into zlib.crc32;
  none  the channel alone: the payloads exist before the clock (heap and
        queue hand over one of POOL immutable bodies in turn, the chunk's
        number beside it in the tuple; pipe and shm buffers hold the
        pattern and the producer writes only the stamps), and the consumer
        reads only the chunk's number (or stamps) and length; heap-malloc
        still makes a new object per chunk.  verify then checks that every
        chunk arrived once, in order, whole length.
verify regenerates what each consumer must have folded and compares, so a
lost, repeated or reordered chunk changes the checksum (a queue's consumer
also stops at the first chunk out of order).  result = bytes that arrived
intact (must be --bytes); ops = bytes, so ns_per_op is ns per byte.

What is timed, as in C: the tasks meet at a barrier; the producer reads
the clock as it passes it, each consumer when it has taken in its last
chunk, and around every crc32 pass.  notes: chunks, xfer_ns (the last
consumer's end - the start: bytes/s of the channel = bytes * 1e9 /
xfer_ns), handover_ns_per_chunk (the consumers' time outside their crc32
passes per chunk), consume_ns_per_chunk (their crc32 passes per chunk; 0
with --consume none).  The hot loops of the queues (produce_queued,
consume_queued) take as few Python steps per chunk as a bare loop does
(scripts/refs/py_ref.py share, make anchors): with --consume none a
queue's consumer checks each chunk's number and length as it takes it
(a wrong one fails the row) and folds what it checked after the clock.

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

MASK63 = (1 << 63) - 1  # the shared cells are signed 64-bit
QUEUED = ("heap", "heap-malloc", "queue")  # (chunk number, payload) through a queue


def ident(acc, c, n):
    """What a queue's consumer folds of a chunk with --consume none: its
    number and its length."""
    return (acc * 0x100000001B3 + c * 0x10001 + n) & MASK63


class Producer:
    """The producer's buffers, made before the clock: its own chunk (pipe,
    heap-malloc, queue with --consume sum), the bodies a queue hands over
    with --consume none (immutable, POOL of them in turn, and the last
    chunk's), and the buffers heap recycles with --consume sum."""

    def __init__(self, st):
        body = pattern(st.chunk)
        self.own = bytearray(body)
        self.view = memoryview(self.own)
        self.bodies = [bytes(body) for _ in range(POOL)]
        self.last = bytes(body[:chunk_len(st, st.nchunks - 1)])
        recycled = st.via == "heap" and st.sum
        self.pools = [[bytearray(body) for _ in range(POOL)] if recycled else []
                      for _ in range(st.nconsumers)]

    def release(self):
        self.view.release()


def payload(st, p, c, n):
    """What a queue carries of chunk c beside its number: with --consume
    none a body made before the clock (heap-malloc: a new bytes object,
    still); with sum every byte written, into a recycled buffer (heap; its
    first n bytes copied for the shorter last chunk) or a new bytes object."""
    if not st.sum and st.via != "heap-malloc":
        return p.bodies[c % POOL] if n == st.chunk else p.last
    if st.via == "heap" and n == st.chunk:
        buf = p.pools[c % st.nconsumers][(c // st.nconsumers) % POOL]
        write_chunk(st, buf, c, n)
        return buf
    write_chunk(st, p.own, c, n)
    return bytes(p.view[:n])  # a new object per chunk


def produce_queued(st, p):
    """heap (references), heap-malloc, queue (pickled by the feeder thread):
    the hot loop, with the fewest Python steps per chunk.  On a failure
    every consumer gets chunk number -1, so none waits for ever (they take
    without a timeout: a timeout costs a clock read per message)."""
    puts = [q.put for q in st.chan]
    fast = not st.sum and st.via != "heap-malloc"
    ncons, bodies, last, final = st.nconsumers, p.bodies, p.last, st.nchunks - 1
    try:
        for c in range(final):
            if fast:
                puts[c % ncons]((c, bodies[c % POOL]))
            else:
                puts[c % ncons]((c, payload(st, p, c, st.chunk)))
        puts[final % ncons]((final, last if fast else payload(st, p, final, chunk_len(st, final))))
    except BaseException:
        for q in st.chan:
            q.put((-1, b""), timeout=60)
        raise


def produce(st, p, c, n):
    """Chunk c (n bytes) into its consumer's channel: pipe, shm, and one
    task alone."""
    k, j = c % st.nconsumers, c // st.nconsumers
    if st.via in QUEUED:
        st.chan[k].put((c, payload(st, p, c, n)))
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


def wrong(k, c, n, got_c, data):
    """Why the chunk a queue's consumer took is not chunk c of n bytes, or
    "" when it is.  A wrong chunk is remembered and the consumer drains
    its queue to the end (else the producer would wait for room for ever);
    chunk number -1 says the producer failed: the consumer stops."""
    if got_c == -1:
        raise RunError("share: the producer failed; consumer %d stops at chunk %d" % (k, c))
    if got_c != c or len(data) != n:
        return ("share: consumer %d got chunk %d of %d bytes, expected chunk %d of %d"
                % (k, got_c, len(data), c, n))
    return ""


def consume(st, k, c, j, n, crc):
    """Consumer k's j-th chunk (chunk c, n bytes) folded into crc."""
    if st.via == "shm":
        off = (k * RING_SLOTS + j % RING_SLOTS) * st.chunk
        if not st.full[k].acquire(timeout=60):
            raise RunError("share: no chunk for consumer %d for 60 s" % k)
        crc = take_in(st, k, st.shm.buf[off:off + n], n, crc)
        st.empty[k].release()
        return crc
    if st.via == "pipe":
        data = st.chan[k][0].recv_bytes()
        if len(data) != n:
            raise RunError("share: consumer %d got %d bytes, expected %d" % (k, len(data), n))
        return take_in(st, k, data, n, crc)
    got_c, data = st.chan[k].get(timeout=60)
    why = wrong(k, c, n, got_c, data)
    if why:
        raise Drain(why, crc)
    return take_in(st, k, data, n, crc) if st.sum else ident(crc, c, n)


class Drain(Exception):
    """A queue's consumer took a wrong chunk (args: why, the fold so far)."""


def consume_queued(st, k):
    """The hot loop of a queue's consumer with --consume none: take each
    chunk and check its number and length, as a bare loop does (a wrong
    one makes the row fail); bytes taken in.  The fold of what it checked
    (checked_fold) is made after the clock."""
    get, got, n, final = st.chan[k].get, 0, st.chunk, st.nchunks - 1
    bad = ""
    for c in range(k, st.nchunks, st.nconsumers):
        if c == final:
            n = chunk_len(st, c)
        got_c, data = get()
        if got_c != c or len(data) != n:
            bad = bad or wrong(k, c, n, got_c, data)
        got += n
    if bad:
        raise RunError(bad)
    return got


def checked_fold(st, k):
    """ident() over consumer k's chunks, each of which consume_queued
    found in its place with its length: the value verify compares (and
    expects, expected_crcs)."""
    acc = 0
    for c in range(k, st.nchunks, st.nconsumers):
        acc = ident(acc, c, chunk_len(st, c))
    return acc


def producer(st):
    p = Producer(st)
    try:
        st.start.wait()
        st.start_ns[0] = now_ns()
        if st.alone:
            for c in range(st.nchunks):
                produce_and_consume(st, p, c, chunk_len(st, c))
            st.end_ns[0] = now_ns()
        elif st.via in QUEUED:
            produce_queued(st, p)
        else:
            for c in range(st.nchunks):
                produce(st, p, c, chunk_len(st, c))
    finally:
        p.release()


def produce_and_consume(st, p, c, n):
    """One task alone: a pipe is fed in pieces it holds without a reader."""
    if st.via != "pipe":
        produce(st, p, c, n)
        try:
            crc, got = consume(st, 0, c, c, n, st.crc[0]), n
        except Drain as e:
            raise RunError(e.args[0]) from None
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
    st.start.wait()
    if st.via in QUEUED and not st.sum:
        got = consume_queued(st, k)
        st.end_ns[k] = now_ns()
        st.crc[k], st.got[k] = checked_fold(st, k), got
        return
    crc = got = 0
    bad = ""
    for j, c in enumerate(range(k, st.nchunks, st.nconsumers)):
        n = chunk_len(st, c)
        try:
            crc = consume(st, k, c, j, n, crc)
        except Drain as e:
            bad, crc = bad or e.args[0], e.args[1]
        got += n
    if bad:
        raise RunError(bad)
    st.end_ns[k] = now_ns()
    st.crc[k], st.got[k] = crc, got


def expected_crcs(st):
    if not st.sum and st.via in QUEUED:
        return [checked_fold(st, k) for k in range(st.nconsumers)]
    buf = bytearray(pattern(st.chunk))
    crcs = [0] * st.nconsumers
    for c in range(st.nchunks):
        n = chunk_len(st, c)
        k = c % st.nconsumers
        buf[:] = pattern(st.chunk)
        stamp_into(buf, c, n)
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
