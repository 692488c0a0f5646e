//! The device's end of a pseudo-terminal against a plain serial client on the slave: bytes arrive
//! intact, paced at the baud, altered exactly as the faults say; opens, closes and unplugging are seen.

#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use firmware_sim::pty::{
    CommandFate, FaultSpec, LineError, LineSettings, Received, SimLine, line_time,
};
use serialport::TTYPort;

fn client(path: &Path, baud: u32) -> TTYPort {
    serialport::new(path.to_string_lossy(), baud)
        .timeout(Duration::from_millis(20))
        .open_native()
        .expect("open the slave like a serial port")
}

fn unpaced(faults: &str) -> LineSettings {
    LineSettings {
        baud: 57_600,
        paced: false,
        strict_baud: true,
        seed: 7,
        faults: faults.parse().expect("fault spec"),
    }
}

/// Reads until `want` bytes have come or nothing came for `quiet` (bounded by `max`).
fn read_all(port: &mut TTYPort, want: usize, quiet: Duration, max: Duration) -> Vec<u8> {
    let mut got = Vec::new();
    let start = Instant::now();
    let mut last = Instant::now();
    let mut buf = [0u8; 4096];
    while got.len() < want && start.elapsed() < max && last.elapsed() < quiet {
        match port.read(&mut buf) {
            Ok(n) if n > 0 => {
                got.extend_from_slice(&buf[..n]);
                last = Instant::now();
            }
            _ => {}
        }
    }
    got
}

/// Reads on another thread, as a client does while the device sends.
fn spawn_reader(
    mut port: TTYPort,
    want: usize,
    quiet: Duration,
) -> std::thread::JoinHandle<(Vec<u8>, TTYPort)> {
    std::thread::spawn(move || {
        let got = read_all(&mut port, want, quiet, Duration::from_secs(10));
        (got, port)
    })
}

/// Lets the line notice the client (it learns of opens on its next read).
fn settle(line: &mut SimLine) {
    let mut buf = [0u8; 16];
    for _ in 0..5 {
        let _ = line.read(&mut buf, Duration::from_millis(5));
    }
}

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + i / 256) as u8).collect()
}

#[test]
fn bytes_cross_intact_both_ways() {
    let mut line = SimLine::open(None, unpaced("")).unwrap();
    let port = client(line.slave_path(), 57_600);
    settle(&mut line);
    assert!(line.client_present());

    let data = pattern(5000);
    let reader = spawn_reader(port, data.len(), Duration::from_millis(500));
    line.send(&data).unwrap();
    let (got, mut port) = reader.join().unwrap();
    assert_eq!(got, data);

    port.write_all(&[0xEF, 0x01, 0x0D, 0x0A, 0x00, 0xFF])
        .unwrap();
    let mut buf = [0u8; 64];
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(2);
    while got.len() < 6 && Instant::now() < deadline {
        if let Received::Bytes(n) = line.read(&mut buf, Duration::from_millis(20)).unwrap() {
            got.extend_from_slice(&buf[..n]);
        }
    }
    assert_eq!(got, [0xEF, 0x01, 0x0D, 0x0A, 0x00, 0xFF]);
    let stats = line.stats();
    assert_eq!(stats.bytes_sent, 5000);
    assert_eq!(stats.bytes_received, 6);
    assert_eq!(stats.faults_injected(), 0);
}

#[test]
fn pacing_matches_line_time() {
    let settings = LineSettings {
        baud: 115_200,
        paced: true,
        ..unpaced("")
    };
    let mut line = SimLine::open(None, settings).unwrap();
    let mut port = client(line.slave_path(), 115_200);
    settle(&mut line);
    let data = pattern(10_000);
    let reader = std::thread::spawn(move || {
        let start = Instant::now();
        let got = read_all(
            &mut port,
            10_000,
            Duration::from_secs(1),
            Duration::from_secs(5),
        );
        (got, start.elapsed())
    });
    let start = Instant::now();
    line.send(&data).unwrap();
    let send_time = start.elapsed();
    let (got, receive_time) = reader.join().unwrap();
    assert_eq!(got, data);
    let expected = line_time(10_000, 115_200).as_secs_f64();
    let ratio = send_time.as_secs_f64() / expected;
    println!(
        "10 kB at 115200: sent in {send_time:?}, received in {receive_time:?}, line time {expected:.4} s, ratio {ratio:.4}"
    );
    assert!((0.99..1.03).contains(&ratio), "ratio {ratio}");
    let ratio = receive_time.as_secs_f64() / expected;
    assert!((0.97..1.05).contains(&ratio), "receive ratio {ratio}");
}

#[test]
fn back_to_back_sends_keep_one_schedule() {
    let settings = LineSettings {
        baud: 115_200,
        paced: true,
        ..unpaced("")
    };
    let mut line = SimLine::open(None, settings).unwrap();
    let mut port = client(line.slave_path(), 115_200);
    settle(&mut line);
    let reader = std::thread::spawn(move || {
        read_all(
            &mut port,
            50 * 100,
            Duration::from_secs(1),
            Duration::from_secs(5),
        )
    });
    let start = Instant::now();
    for _ in 0..50 {
        line.send(&pattern(100)).unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let expected = line_time(5000, 115_200).as_secs_f64();
    assert_eq!(reader.join().unwrap().len(), 5000);
    assert!(
        (0.99..1.03).contains(&(elapsed / expected)),
        "{elapsed} vs {expected}"
    );
}

#[test]
fn flips_alter_bits_at_the_rate_asked() {
    let mut line = SimLine::open(None, unpaced("flip=1e-2")).unwrap();
    let port = client(line.slave_path(), 57_600);
    settle(&mut line);
    let data = pattern(20_000);
    let reader = spawn_reader(port, data.len(), Duration::from_millis(500));
    line.send(&data).unwrap();
    let (got, _port) = reader.join().unwrap();
    assert_eq!(got.len(), data.len(), "flips keep the length");
    let flipped: u32 = got
        .iter()
        .zip(&data)
        .map(|(a, b)| (a ^ b).count_ones())
        .sum();
    assert_eq!(u64::from(flipped), line.stats().bits_flipped);
    // 160,000 bits at 1e-2: 1600 expected; allow five standard deviations.
    assert!((1400..1800).contains(&flipped), "{flipped} bits flipped");
}

#[test]
fn drops_remove_bytes_and_keep_order() {
    let mut line = SimLine::open(None, unpaced("drop=1e-2")).unwrap();
    let port = client(line.slave_path(), 57_600);
    settle(&mut line);
    let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    let reader = spawn_reader(port, data.len(), Duration::from_millis(500));
    line.send(&data).unwrap();
    let (got, _port) = reader.join().unwrap();
    let dropped = data.len() - got.len();
    assert_eq!(dropped as u64, line.stats().bytes_dropped);
    assert!((120..280).contains(&dropped), "{dropped} dropped");
    // What arrived is a subsequence of what was sent.
    let mut it = data.iter();
    assert!(got.iter().all(|b| it.any(|d| d == b)));
}

#[test]
fn stalls_make_the_line_go_quiet() {
    let mut line = SimLine::open(None, unpaced("stall=1@30ms")).unwrap();
    let mut port = client(line.slave_path(), 57_600);
    settle(&mut line);
    let start = Instant::now();
    line.send(&[1, 2, 3, 4, 5]).unwrap();
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
    assert_eq!(line.stats().stalls, 5);
    assert_eq!(
        read_all(
            &mut port,
            5,
            Duration::from_millis(200),
            Duration::from_secs(2)
        ),
        [1, 2, 3, 4, 5]
    );
}

#[test]
fn garbage_precedes_the_boot_byte_and_waits_for_a_client() {
    let mut line = SimLine::open(None, unpaced("garbage=32")).unwrap();
    // No client yet: the boot output is held.
    line.power_up(&[0x55]).unwrap();
    let mut port = client(line.slave_path(), 57_600);
    settle(&mut line);
    let got = read_all(
        &mut port,
        33,
        Duration::from_millis(300),
        Duration::from_secs(2),
    );
    assert_eq!(got.len(), 33);
    assert_eq!(got[32], 0x55);
    assert_eq!(line.stats().garbage_bytes, 32);
    // With a client there, a power-up sends at once.
    line.power_up(&[0x55]).unwrap();
    let got = read_all(
        &mut port,
        33,
        Duration::from_millis(300),
        Duration::from_secs(2),
    );
    assert_eq!(got.len(), 33);
    assert_eq!(got[32], 0x55);
}

#[test]
fn clean_boot_is_just_the_boot_byte() {
    let mut line = SimLine::open(None, unpaced("")).unwrap();
    let mut port = client(line.slave_path(), 57_600);
    settle(&mut line);
    line.power_up(&[0x55]).unwrap();
    assert_eq!(
        read_all(
            &mut port,
            2,
            Duration::from_millis(200),
            Duration::from_secs(2)
        ),
        [0x55]
    );
}

#[test]
fn mute_after_counts_commands_since_power_up() {
    let mut line = SimLine::open(None, unpaced("mute-after=3")).unwrap();
    for _ in 0..3 {
        assert_eq!(line.command_received(), CommandFate::Answer);
    }
    assert_eq!(line.command_received(), CommandFate::Mute);
    assert_eq!(line.command_received(), CommandFate::Mute);
    line.power_up(&[]).unwrap();
    assert_eq!(line.command_received(), CommandFate::Answer);
    // Changing the faults at run time restarts the count.
    line.fault_switch().set("mute-after=1".parse().unwrap());
    assert_eq!(line.command_received(), CommandFate::Answer);
    assert_eq!(line.command_received(), CommandFate::Mute);
}

#[test]
fn vanish_after_hangs_up_the_client_and_removes_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("fingerprint");
    let mut line = SimLine::open(Some(&link), unpaced("vanish-after=1")).unwrap();
    assert_eq!(std::fs::read_link(&link).unwrap(), line.slave_path());
    let mut port = client(&link, 57_600);
    settle(&mut line);
    assert_eq!(line.command_received(), CommandFate::Answer);
    assert_eq!(line.command_received(), CommandFate::Vanish);
    assert!(line.is_gone());
    assert!(std::fs::symlink_metadata(&link).is_err(), "link removed");
    assert!(matches!(line.send(&[1]), Err(LineError::Gone)));
    // The client sees the port gone: an error, not a timeout.
    let mut buf = [0u8; 8];
    let err = port.read(&mut buf).unwrap_err();
    assert_ne!(err.kind(), std::io::ErrorKind::TimedOut, "{err}");
}

#[test]
fn sees_the_client_open_close_and_reopen() {
    let mut line = SimLine::open(None, unpaced("")).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(
        line.read(&mut buf, Duration::from_millis(5)).unwrap(),
        Received::NoClient
    );
    let port = client(line.slave_path(), 57_600);
    settle(&mut line);
    assert!(line.client_present());
    drop(port);
    settle(&mut line);
    assert!(!line.client_present());
    // Bytes sent with nobody listening are lost, and do not block.
    line.send(&pattern(100_000)).unwrap();
    assert_eq!(line.stats().bytes_lost + line.stats().bytes_sent, 100_000);
    let mut port = client(line.slave_path(), 57_600);
    settle(&mut line);
    assert!(line.client_present());
    assert_eq!(line.stats().client_opens, 2);
    line.send(b"hello").unwrap();
    let got = read_all(
        &mut port,
        5,
        Duration::from_millis(200),
        Duration::from_secs(2),
    );
    assert_eq!(got, b"hello");
}

#[test]
fn a_client_at_another_baud_gets_garbage() {
    let mut line = SimLine::open(None, unpaced("")).unwrap();
    let mut port = client(line.slave_path(), 115_200);
    settle(&mut line);
    assert_eq!(line.client_baud(), Some(115_200));
    let data = pattern(1000);
    line.send(&data).unwrap();
    let got = read_all(
        &mut port,
        4000,
        Duration::from_millis(200),
        Duration::from_secs(2),
    );
    assert_ne!(got, data);
    assert!(line.stats().baud_mismatches > 0);
    // Once the client switches to the device's baud, the line is clean again.
    serialport::SerialPort::set_baud_rate(&mut port, 57_600).unwrap();
    line.send(&data).unwrap();
    assert_eq!(
        read_all(
            &mut port,
            1000,
            Duration::from_millis(200),
            Duration::from_secs(2)
        ),
        data
    );
}

#[test]
fn an_interrupt_stops_a_long_send() {
    let settings = LineSettings {
        baud: 9600,
        paced: true,
        ..unpaced("")
    };
    let mut line = SimLine::open(None, settings).unwrap();
    let _port = client(line.slave_path(), 9600);
    settle(&mut line);
    let flag = line.interrupt_flag();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        flag.store(true, Ordering::SeqCst);
    });
    let start = Instant::now();
    // 10 s of line time.
    assert!(matches!(
        line.send(&pattern(9600)),
        Err(LineError::Interrupted)
    ));
    assert!(start.elapsed() < Duration::from_secs(1));
    t.join().unwrap();
    line.clear_interrupt();
}

#[test]
fn link_is_removed_on_drop_and_a_stale_one_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("fp");
    std::os::unix::fs::symlink("/dev/pts/nowhere", &link).unwrap();
    let line = SimLine::open(Some(&link), unpaced("")).unwrap();
    assert_eq!(line.port_path(), link);
    assert_eq!(std::fs::read_link(&link).unwrap(), line.slave_path());
    drop(line);
    assert!(std::fs::symlink_metadata(&link).is_err());
    // A regular file is not clobbered.
    std::fs::write(&link, b"keep me").unwrap();
    assert!(SimLine::open(Some(&link), unpaced("")).is_err());
    assert_eq!(std::fs::read(&link).unwrap(), b"keep me");
}

#[test]
fn fault_spec_text_is_the_same_everywhere() {
    let spec: FaultSpec =
        "flip=1e-3,drop=1e-4,stall=1e-4@300ms,garbage=32,mute-after=20,vanish-after=20"
            .parse()
            .unwrap();
    let line = SimLine::open(None, unpaced(&spec.to_string())).unwrap();
    assert_eq!(line.fault_switch().get(), spec);
}

#[test]
fn a_client_that_stops_reading_never_blocks_the_device() {
    let mut line = SimLine::open(None, unpaced("")).unwrap();
    let _port = client(line.slave_path(), 57_600);
    settle(&mut line);
    let start = Instant::now();
    // Far more than the pseudo-terminal holds, with nobody reading.
    for _ in 0..2 {
        line.send(&pattern(100_000)).unwrap();
    }
    let elapsed = start.elapsed();
    let stats = line.stats();
    println!(
        "{elapsed:?}: {} bytes taken, {} lost",
        stats.bytes_sent, stats.bytes_lost
    );
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    assert_eq!(stats.bytes_sent + stats.bytes_lost, 200_000);
    assert!(stats.bytes_lost > 0);
}
