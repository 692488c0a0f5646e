"""Adafruit's CircuitPython fingerprint library, its own example unchanged but for the port.

`fingerprint_simpletest_rpi.py`, as shipped in the library's source distribution, defines the
flows (enrol, search, fast search, save the image) and then runs an interactive menu. The file is
run up to that menu, with its serial port replaced by the simulator's; its functions are then
called as the menu would, and the menu's own calls (template list, count, delete, empty) likewise.

Usage: adafruit_flows.py EXAMPLE.py PORT CONTROL_SOCKET OUT_DIR
"""

import os
import sys

from finger import PersonAtTheSensor
from flows import Flows

example, port, control, out_dir = sys.argv[1:5]
source = open(example, encoding="utf-8").read()
source = source.replace('"/dev/ttyUSB0"', repr(port))
head, _, _menu = source.partition("\nwhile True:")

flows = Flows("adafruit-circuitpython-fingerprint")
flow = flows.run


namespace = {"__name__": "adafruit_example"}
sys.stdout = PersonAtTheSensor(control, ["remove finger"], ["place same finger again"])


def start():
    # The example's top: opens the port, builds Adafruit_Fingerprint (VfyPwd, ReadSysPara).
    exec(compile(head, example, "exec"), namespace)
    return True


if flow("connect (VfyPwd, ReadSysPara)", start):
    ns = namespace
    af = ns["adafruit_fingerprint"]
    finger = ns["finger"]
    flow("empty library", lambda: finger.empty_library() == af.OK)
    flow("enrol #1", lambda: ns["enroll_finger"](1))
    flow("templates (ReadIndexTable)", lambda: finger.read_templates() == af.OK and 1 in finger.templates)
    flow("count (TemplateNum)", lambda: finger.count_templates() == af.OK and finger.template_count == 1)
    flow("search", lambda: ns["get_fingerprint"]() and finger.finger_id == 1)
    flow("fast search", lambda: ns["get_fingerprint_detail"]() and finger.finger_id == 1)
    flow("download image", lambda: ns["save_fingerprint_image"](os.path.join(out_dir, "adafruit.png")))
    flow("delete #1", lambda: finger.delete_model(1) == af.OK)
    flow("search after delete finds nothing", lambda: not ns["get_fingerprint"]())
    flow("enrol #2 then empty", lambda: ns["enroll_finger"](2) and finger.empty_library() == af.OK)
    flow("count after empty", lambda: finger.count_templates() == af.OK and finger.template_count == 0)

flows.finish()
