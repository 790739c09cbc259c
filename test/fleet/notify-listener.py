# A stand-in for systemd's notify socket: a unix datagram socket at argv[1] that prints each
# message it gets as one JSON string per line. Like systemd it takes the file descriptors a
# message passes (systemd-notify's barrier: a pipe whose closing says "read") and closes them.
# Python, not socat: socat keeps passed descriptors open, so every barrier would wait its 5 s out.
import array, json, os, socket, sys

sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
print(json.dumps("LISTENING"), flush=True)
while True:
    data, ancillary, _flags, _addr = sock.recvmsg(4096, socket.CMSG_SPACE(64 * 4))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
            for fd in fds:
                os.close(fd)
    print(json.dumps(data.decode("utf-8", "replace")), flush=True)
