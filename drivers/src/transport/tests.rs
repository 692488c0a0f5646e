//! Transport tests over real pseudo-terminal pairs (the same code path as a USB adapter).

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

use super::*;

/// A pseudo-terminal pair: the device side (master) and a transport opened by path on the slave,
/// as a driver opens a real port.
fn pty() -> (TTYPort, SerialTransport, TTYPort) {
    let (master, slave) = TTYPort::pair().expect("pty pair");
    let path = slave.name().expect("slave path");
    let transport = SerialTransport::open(&path, 57_600).expect("open slave by path");
    (master, transport, slave)
}

#[test]
fn bytes_cross_both_ways_and_are_counted() {
    let (mut device, mut host, _slave) = pty();
    host.write_all(b"hello device").expect("write");
    let mut got = [0u8; 12];
    device.set_timeout(Duration::from_secs(2)).expect("timeout");
    device.read_exact(&mut got).expect("device reads");
    assert_eq!(&got, b"hello device");

    let all: Vec<u8> = (0..=255u8).collect();
    device.write_all(&all).expect("device writes");
    let mut back = vec![0u8; 256];
    host.read_exact_by(&mut back, Instant::now() + Duration::from_secs(2))
        .expect("host reads");
    assert_eq!(back, all);
    assert_eq!(
        host.counters(),
        TransportCounters {
            bytes_written: 12,
            bytes_read: 256
        }
    );
}

#[test]
fn a_trickling_line_cannot_stretch_a_read_past_its_deadline() {
    let (mut device, mut host, _slave) = pty();
    let feeder = thread::spawn(move || {
        // One byte every 10 ms for a second: a per-call timeout would never fire.
        for _ in 0..100 {
            if device.write_all(&[0xAA]).is_err() {
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
        device
    });
    let started = Instant::now();
    let mut buf = [0u8; 1000];
    let outcome = host.read_exact_by(&mut buf, started + Duration::from_millis(200));
    let elapsed = started.elapsed();
    assert!(
        matches!(outcome, Err(TransportError::Timeout)),
        "{outcome:?}"
    );
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(260),
        "overshot: {elapsed:?}"
    );
    drop(feeder.join());
}

#[test]
fn a_silent_line_times_out_at_the_deadline() {
    let (_device, mut host, _slave) = pty();
    let started = Instant::now();
    let mut buf = [0u8; 4];
    let outcome = host.read_some_by(&mut buf, started + Duration::from_millis(70));
    let elapsed = started.elapsed();
    assert!(
        matches!(outcome, Err(TransportError::Timeout)),
        "{outcome:?}"
    );
    assert!((Duration::from_millis(70)..Duration::from_millis(120)).contains(&elapsed));
    // A deadline already passed answers at once.
    assert!(matches!(
        host.read_some_by(&mut buf, Instant::now()),
        Err(TransportError::Timeout)
    ));
    assert_eq!(host.read_some_by(&mut [], Instant::now()).ok(), Some(0));
}

#[test]
fn drain_discards_until_the_line_is_quiet() {
    let (mut device, mut host, _slave) = pty();
    device.write_all(&[0x55; 40]).expect("boot bytes");
    thread::sleep(Duration::from_millis(20));
    let discarded = host
        .drain(Duration::from_millis(50), Duration::from_secs(1))
        .expect("drain");
    assert_eq!(discarded, 40);
    // A line that never goes quiet is drained for `max` only.
    let chatter = thread::spawn(move || {
        let stop = Instant::now() + Duration::from_millis(400);
        while Instant::now() < stop {
            if device.write_all(&[0xEE; 4]).is_err() {
                break;
            }
            thread::sleep(Duration::from_millis(5));
        }
        device
    });
    let started = Instant::now();
    let discarded = host
        .drain(Duration::from_millis(50), Duration::from_millis(150))
        .expect("drain");
    let elapsed = started.elapsed();
    assert!(discarded > 0);
    assert!(elapsed < Duration::from_millis(220), "{elapsed:?}");
    drop(chatter.join());
}

#[test]
fn a_closed_device_side_is_port_gone() {
    let (device, mut host, slave) = pty();
    drop(slave);
    drop(device);
    let mut buf = [0u8; 4];
    let outcome = host.read_some_by(&mut buf, Instant::now() + Duration::from_secs(1));
    assert!(
        matches!(outcome, Err(TransportError::PortGone)),
        "{outcome:?}"
    );
}

#[test]
fn a_port_is_opened_exclusively() {
    let (_device, host, _slave) = pty();
    let second = SerialTransport::open(host.name(), 57_600);
    assert!(
        matches!(second, Err(TransportError::Open { .. })),
        "{second:?}"
    );
}

#[test]
fn a_missing_port_fails_to_open() {
    let outcome = SerialTransport::open("/dev/no-such-port-here", 57_600);
    assert!(matches!(outcome, Err(TransportError::Open { .. })));
}

#[test]
fn baud_is_recorded() {
    let (_device, mut host, _slave) = pty();
    assert_eq!(host.baud(), 57_600);
    host.set_baud(115_200).expect("set baud");
    assert_eq!(host.baud(), 115_200);
}

#[test]
fn a_stream_with_a_read_timeout_is_polled_to_the_deadline() {
    let (ours, mut theirs) = UnixStream::pair().expect("socket pair");
    ours.set_read_timeout(Some(POLL_INTERVAL)).expect("timeout");
    let mut host = StreamTransport::new(ours, 9_600);
    theirs.write_all(b"abc").expect("write");
    let mut buf = [0u8; 3];
    host.read_exact_by(&mut buf, Instant::now() + Duration::from_secs(1))
        .expect("read");
    assert_eq!(&buf, b"abc");

    let started = Instant::now();
    let outcome = host.read_exact_by(&mut buf, started + Duration::from_millis(60));
    assert!(matches!(outcome, Err(TransportError::Timeout)));
    assert!(started.elapsed() < Duration::from_millis(120));

    host.write_all(b"xyz").expect("write");
    let mut echo = [0u8; 3];
    theirs.read_exact(&mut echo).expect("read back");
    assert_eq!(&echo, b"xyz");
    assert_eq!(host.counters().bytes_written, 3);

    drop(theirs);
    assert!(matches!(
        host.read_some_by(&mut buf, Instant::now() + Duration::from_secs(1)),
        Err(TransportError::PortGone)
    ));
}

#[test]
fn a_non_blocking_stream_is_polled_too() {
    let (ours, mut theirs) = UnixStream::pair().expect("socket pair");
    ours.set_nonblocking(true).expect("nonblocking");
    let mut host = StreamTransport::new(ours, 57_600);
    let writer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(30));
        theirs.write_all(&[1, 2, 3, 4]).expect("write");
        theirs
    });
    let mut buf = [0u8; 4];
    host.read_exact_by(&mut buf, Instant::now() + Duration::from_secs(1))
        .expect("read");
    assert_eq!(buf, [1, 2, 3, 4]);
    drop(writer.join());
}

#[test]
fn write_allowance_grows_with_length_and_shrinks_with_baud() {
    assert!(write_allowance(40_000, 57_600) > write_allowance(40_000, 115_200));
    assert!(write_allowance(0, 0) >= Duration::from_secs(1));
}
