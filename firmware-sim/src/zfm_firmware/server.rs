//! The simulator's thread: reads the line, cuts packets, lets the firmware answer, and carries out
//! the orders of the control handles.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::control::{Order, Shared};
use super::firmware::Firmware;
use super::packet::PacketReader;
use crate::pty::{LineError, Received, SimLine};

/// How long one read waits: also how quickly an order is noticed while idle.
const READ_WAIT: Duration = Duration::from_millis(20);

/// Serves until stopped or unplugged.
pub(crate) fn serve(
    mut line: SimLine,
    mut firmware: Firmware,
    shared: Arc<Shared>,
    orders: mpsc::Receiver<(Order, mpsc::Sender<()>)>,
) {
    let mut reader = PacketReader::new();
    let mut buf = vec![0u8; 4096];
    if let Err(e) = firmware.start(&mut line) {
        tracing::warn!(error = %e, "module could not start");
    }
    loop {
        // Clear first, then look: an order sent after this point sets the flag again.
        shared.interrupt.store(false, Ordering::SeqCst);
        while let Ok((order, done)) = orders.try_recv() {
            carry_out(order, &mut line, &mut firmware, &mut reader, &shared);
            let _ = done.send(());
        }
        if shared.stop.load(Ordering::SeqCst) || line.is_gone() {
            break;
        }
        match line.read(&mut buf, READ_WAIT) {
            Ok(Received::Bytes(n)) => {
                reader.push(&buf[..n], Instant::now());
                while let Some(packet) = reader.next_packet() {
                    match firmware.on_packet(packet, &mut line) {
                        Ok(()) => {}
                        Err(LineError::Interrupted) => {
                            // An order is waiting; what was being received is moot.
                            reader.clear();
                            break;
                        }
                        Err(LineError::Gone) => break,
                        Err(e) => tracing::warn!(error = %e, "line error"),
                    }
                }
            }
            Ok(Received::Idle) => {
                let now = Instant::now();
                reader.expire(now);
                firmware.tick(now);
            }
            Ok(Received::NoClient) => reader.clear(),
            Err(LineError::Interrupted) => {}
            Err(LineError::Gone) => break,
            Err(e) => {
                tracing::warn!(error = %e, "line error");
                std::thread::sleep(READ_WAIT);
            }
        }
    }
    shared.stop.store(true, Ordering::SeqCst);
    // Answer any order still waiting, so that no control call waits in vain.
    while let Ok((_, done)) = orders.try_recv() {
        let _ = done.send(());
    }
    tracing::info!(port = %line.port_path().display(), "fingerprint simulator stopped");
}

fn carry_out(
    order: Order,
    line: &mut SimLine,
    firmware: &mut Firmware,
    reader: &mut PacketReader,
    shared: &Shared,
) {
    match order {
        Order::PowerCycle => {
            tracing::info!("power cycle");
            reader.clear();
            shared.counters.restarts.fetch_add(1, Ordering::Relaxed);
            shared.interrupt.store(false, Ordering::SeqCst);
            if let Err(e) = firmware.start(line) {
                tracing::warn!(error = %e, "module could not start");
            }
        }
        Order::Hang => firmware.hang(),
        Order::Unplug => line.unplug(),
    }
}
