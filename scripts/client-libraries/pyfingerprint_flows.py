"""bastianraschke's pyfingerprint (PyPI `pyfingerprint`), through its documented example flows.

Its source distribution ships no examples; the flows below follow the upstream examples step for
step (example_enroll, example_search, example_downloadimage, example_delete, example_index, and
the library's clearDatabase / generateRandomNumber / uploadCharacteristics), calling only the
library's public API. The library opens the port and reads packets strictly from `EF 01`: any
stray byte before the first answer (such as a power-up byte) fails its first command.

Usage: pyfingerprint_flows.py PORT CONTROL_SOCKET OUT_DIR
"""

import hashlib
import os
import sys
import time

from finger import PersonAtTheSensor
from flows import Flows
from pyfingerprint.pyfingerprint import PyFingerprint

port, control, out_dir = sys.argv[1:4]
flows = Flows("pyfingerprint")
flow = flows.run


sys.stdout = PersonAtTheSensor(control, ["remove finger"], ["waiting for same finger again"])
f = None


def connect():
    global f
    f = PyFingerprint(port, 57600, 0xFFFFFFFF, 0x00000000)
    if not f.verifyPassword():
        raise ValueError("The given fingerprint sensor password is wrong!")
    print("Currently used templates: " + str(f.getTemplateCount()) + "/" + str(f.getStorageCapacity()))
    return True


def enroll():
    print("Waiting for finger...")
    while not f.readImage():
        pass
    f.convertImage(0x01)
    result = f.searchTemplate()
    position = result[0]
    if position >= 0:
        print("Template already exists at position #" + str(position))
        return False
    print("Remove finger...")
    time.sleep(2)
    print("Waiting for same finger again...")
    while not f.readImage():
        pass
    f.convertImage(0x02)
    if f.compareCharacteristics() == 0:
        raise Exception("Fingers do not match")
    f.createTemplate()
    position = f.storeTemplate()
    print("Finger enrolled successfully!")
    print("New template position #" + str(position))
    return position == 0


def search():
    print("Waiting for finger...")
    while not f.readImage():
        pass
    f.convertImage(0x01)
    position, accuracy = f.searchTemplate()
    if position == -1:
        print("No match found!")
        return False
    print("Found template at position #" + str(position))
    print("The accuracy score is: " + str(accuracy))
    f.loadTemplate(position, 0x01)
    characteristics = str(f.downloadCharacteristics(0x01)).encode("utf-8")
    print("SHA-2 hash of template: " + hashlib.sha256(characteristics).hexdigest())
    return position == 0


def download_image():
    print("Waiting for finger...")
    while not f.readImage():
        pass
    destination = os.path.join(out_dir, "pyfingerprint.bmp")
    started = time.monotonic()
    f.downloadImage(destination)
    print(f"The image was saved to {destination} in {time.monotonic() - started:.3f} s.")
    return os.path.getsize(destination) > 0


def characteristics_round_trip():
    # UpChar of a stored template, DownChar of it into the other buffer, then Match of the two.
    f.loadTemplate(0, 0x01)
    characteristics = f.downloadCharacteristics(0x01)
    f.uploadCharacteristics(0x02, characteristics)
    return f.compareCharacteristics() > 0


def index():
    table = f.getTemplateIndex(0)
    print("Template index page 0: used positions " + str([i for i, used in enumerate(table) if used]))
    return table[0] and not any(table[1:])


def delete():
    return f.deleteTemplate(0) and f.getTemplateCount() == 0


def search_finds_nothing():
    return not search()


def empty():
    enroll()
    return f.clearDatabase() and f.getTemplateCount() == 0


if flow("connect (VfyPwd, ReadSysPara, TemplateNum)", connect):
    flow("random number", lambda: 0 <= f.generateRandomNumber() <= 0xFFFFFFFF)
    flow("enrol", enroll)
    flow("index (ReadIndexTable)", index)
    flow("search + load + download characteristics", search)
    flow("characteristics round trip (UpChar, DownChar, Match)", characteristics_round_trip)
    flow("download image", download_image)
    flow("delete", delete)
    flow("search after delete finds nothing", search_finds_nothing)
    flow("enrol then empty (clearDatabase)", empty)

flows.finish()
