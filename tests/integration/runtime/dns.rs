//! A tiny DNS server for the simulated pod: answers A queries for the names it is told, exactly
//! as written (no search domains of its own), NXDOMAIN for every other name, and records what
//! it was asked. Enough for libc's resolver, busybox's and HAProxy's.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The server's address inside the pod, the pod's `nameserver`.
pub const ADDRESS: &str = "127.0.0.10";

/// A running DNS server; stops when dropped.
pub struct Dns {
    records: Arc<Mutex<BTreeMap<String, Ipv4Addr>>>,
    queries: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl Dns {
    /// Serves on `socket` (bound to [`ADDRESS`]:53 inside the pod).
    pub fn serve(socket: UdpSocket) -> Dns {
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("a read timeout");
        let dns = Dns {
            records: Arc::default(),
            queries: Arc::default(),
            stop: Arc::default(),
        };
        let (records, queries, stop) = (
            Arc::clone(&dns.records),
            Arc::clone(&dns.queries),
            Arc::clone(&dns.stop),
        );
        thread::spawn(move || {
            let mut buffer = [0u8; 512];
            while !stop.load(Ordering::Relaxed) {
                let Ok((n, peer)) = socket.recv_from(&mut buffer) else {
                    continue;
                };
                let Some((name, qtype, end)) = question(&buffer[..n]) else {
                    continue;
                };
                queries.lock().expect("queries").push(name.clone());
                let address = records.lock().expect("records").get(&name).copied();
                let reply = answer(&buffer[..end], address, qtype);
                let _ = socket.send_to(&reply, peer);
            }
        });
        dns
    }

    /// Answers `name` (lowercase, no trailing dot) with `address` from now on.
    pub fn set(&self, name: &str, address: Ipv4Addr) {
        self.records
            .lock()
            .expect("records")
            .insert(name.into(), address);
    }

    /// The names asked so far, in order.
    pub fn queries(&self) -> Vec<String> {
        self.queries.lock().expect("queries").clone()
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The question of a query: its name, type, and where it ends.
fn question(packet: &[u8]) -> Option<(String, u16, usize)> {
    if packet.len() < 12 || packet[2] & 0x80 != 0 {
        return None;
    }
    let mut labels = Vec::new();
    let mut at = 12;
    loop {
        let len = usize::from(*packet.get(at)?);
        at += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(packet.get(at..at + len)?).to_lowercase());
        at += len;
    }
    let qtype = u16::from_be_bytes([*packet.get(at)?, *packet.get(at + 1)?]);
    Some((labels.join("."), qtype, at + 4))
}

/// The reply to `query` (header and question only): one A record with a 1-second TTL when the
/// name is known and an A record is asked, no record for other types, NXDOMAIN when unknown.
fn answer(query: &[u8], address: Option<Ipv4Addr>, qtype: u16) -> Vec<u8> {
    const A: u16 = 1;
    let mut reply = query.to_vec();
    reply[2] = 0x84 | (query[2] & 0x01); // response, authoritative, recursion desired as asked
    reply[3] = if address.is_some() { 0x80 } else { 0x83 }; // recursion available; NXDOMAIN
    reply[4..12].copy_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
    if let (Some(address), A) = (address, qtype) {
        reply[7] = 1;
        reply.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4]);
        reply.extend_from_slice(&address.octets());
    }
    reply
}
