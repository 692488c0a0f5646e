"""The applicant's finger for the client libraries' example flows.

The simulator runs at its defaults, where a finger lies on the glass at every capture. The
examples ask the person to lift the finger between the two impressions of an enrolment and wait
until the module sees no finger: this module plays that person, lifting the finger (control socket,
`auto off`) when an example prints its "remove finger" line and laying it back when it asks for the
finger again.
"""

import io
import socket
import sys


def order(control_path, line):
    """Sends one order on the simulator's control socket and returns its answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(control_path)
        s.sendall(line.encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = s.recv(256)
            if not chunk:
                break
            answer += chunk
    return answer.decode().strip()


class PersonAtTheSensor(io.TextIOBase):
    """Stands in for stdout: passes everything through and acts on the examples' prompts."""

    def __init__(self, control_path, lift_on, place_on):
        self.out = sys.stdout
        self.control_path = control_path
        self.lift_on = [p.lower() for p in lift_on]
        self.place_on = [p.lower() for p in place_on]
        self.seen = ""

    def write(self, text):
        self.out.write(text)
        self.out.flush()
        # Prompts may come in pieces (print(..., end="")): look at what came since the last action.
        self.seen = (self.seen + text.lower())[-200:]
        if any(p in self.seen for p in self.lift_on):
            order(self.control_path, "auto off")
            self.seen = ""
        elif any(p in self.seen for p in self.place_on):
            order(self.control_path, "auto on")
            self.seen = ""
        return len(text)

    def flush(self):
        self.out.flush()
