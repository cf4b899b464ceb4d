//! Bounds on password guessing and on password hashing.
//!
//! Guessing slows the guesser, not the account owner: failed logins are counted per client
//! (peer address), never per user name, so nobody can lock someone else's account. After
//! [`Limits::login_free_attempts`] failures a client waits 1 s, then 2 s, 4 s, ... (at most
//! [`Limits::login_max_delay`]) before its next attempt is looked at. An attempt is counted
//! *before* its password is checked, so a burst of concurrent guesses gets exactly the free
//! attempts evaluated. The bookkeeping holds only addresses (no names) and at most
//! [`Limits::login_clients`] of them.
//!
//! Every Argon2id check (about 19 MiB and tens of milliseconds) goes through
//! [`PasswordGate`]: at most [`Limits::password_checks`] at a time, at most
//! [`Limits::password_queue`] waiting, none waiting longer than [`Limits::password_wait`];
//! beyond that the answer is 503. Memory for password checks is thereby bounded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::Limits;

/// A client without failures for this long starts afresh.
const FORGET_AFTER: Duration = Duration::from_hours(24);

struct Entry {
    failures: u32,
    not_before: Instant,
    last_seen: Instant,
}

/// Failed logins per client, bounded.
pub(crate) struct LoginThrottle {
    clients: Mutex<HashMap<IpAddr, Entry>>,
    free: u32,
    max_delay: Duration,
    capacity: usize,
}

impl LoginThrottle {
    pub(crate) fn new(limits: &Limits) -> Self {
        LoginThrottle {
            clients: Mutex::new(HashMap::new()),
            free: limits.login_free_attempts.max(1),
            max_delay: limits.login_max_delay,
            capacity: limits.login_clients.max(1),
        }
    }

    /// The delay after `over` failures beyond the free ones: 1 s, 2 s, 4 s, ... capped.
    fn delay(&self, over: u32) -> Duration {
        Duration::from_secs(1u64 << over.min(30)).min(self.max_delay)
    }

    /// Starts a login attempt of `client`: counts it as failed (until
    /// [`LoginThrottle::succeeded`]) or says how long the client must wait first.
    pub(crate) fn begin(&self, client: IpAddr) -> Result<(), Duration> {
        let Ok(mut map) = self.clients.lock() else {
            return Err(self.max_delay);
        };
        // The clock is read under the lock: every `not_before` was set by an earlier holder,
        // so a caller that merely waited for the lock is never told to wait longer.
        let now = Instant::now();
        if !map.contains_key(&client) && map.len() >= self.capacity {
            // Forget the client seen longest ago.
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, e)| e.last_seen)
                .map(|(ip, _)| *ip)
            {
                map.remove(&oldest);
            }
        }
        let e = map.entry(client).or_insert(Entry {
            failures: 0,
            not_before: now,
            last_seen: now,
        });
        if now.duration_since(e.last_seen) > FORGET_AFTER {
            e.failures = 0;
            e.not_before = now;
        }
        if now < e.not_before {
            return Err(e.not_before - now);
        }
        e.failures = e.failures.saturating_add(1);
        e.last_seen = now;
        if e.failures >= self.free {
            e.not_before = now + self.delay(e.failures - self.free);
        }
        Ok(())
    }

    /// The attempt was right: the client starts afresh.
    pub(crate) fn succeeded(&self, client: IpAddr) {
        if let Ok(mut map) = self.clients.lock() {
            map.remove(&client);
        }
    }

    /// The attempt was not evaluated (server busy): it does not count.
    pub(crate) fn refund(&self, client: IpAddr) {
        if let Ok(mut map) = self.clients.lock()
            && let Some(e) = map.get_mut(&client)
        {
            e.failures = e.failures.saturating_sub(1);
            if e.failures < self.free {
                e.not_before = Instant::now();
            }
        }
    }

    /// Number of clients remembered.
    pub(crate) fn clients(&self) -> usize {
        self.clients.lock().map_or(0, |m| m.len())
    }
}

type Memory = Vec<argon2::Block>;

/// Admission to an Argon2id check; see the module documentation. Each slot keeps its own
/// work area, allocated once and reused, so the memory of all checks together is at most
/// `password_checks` x 19 MiB however many requests come (freed buffers would otherwise
/// stay with whichever thread's allocator arena last held them).
pub(crate) struct PasswordGate {
    slots: Arc<Semaphore>,
    memory: Arc<Mutex<Vec<Memory>>>,
    waiting: AtomicUsize,
    queue: usize,
    wait: Duration,
}

/// One admitted password check: its permit and its work area (returned on drop).
pub(crate) struct PasswordSlot {
    _permit: OwnedSemaphorePermit,
    memory: Memory,
    pool: Arc<Mutex<Vec<Memory>>>,
}

impl PasswordSlot {
    /// The work area for [`crate::auth::authenticate_in`].
    pub(crate) fn memory(&mut self) -> &mut Memory {
        &mut self.memory
    }
}

impl Drop for PasswordSlot {
    fn drop(&mut self) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(std::mem::take(&mut self.memory));
        }
    }
}

impl PasswordGate {
    pub(crate) fn new(limits: &Limits) -> Self {
        PasswordGate {
            slots: Arc::new(Semaphore::new(limits.password_checks.max(1))),
            memory: Arc::new(Mutex::new(Vec::new())),
            waiting: AtomicUsize::new(0),
            queue: limits.password_queue,
            wait: limits.password_wait,
        }
    }

    /// A slot for one password check, or `None` when the server is too busy. Keep the
    /// slot alive until the check is done (move it into the blocking task).
    pub(crate) async fn acquire(&self) -> Option<PasswordSlot> {
        let permit = self.permit().await?;
        let memory = self
            .memory
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default();
        Some(PasswordSlot {
            _permit: permit,
            memory,
            pool: self.memory.clone(),
        })
    }

    async fn permit(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(p) = self.slots.clone().try_acquire_owned() {
            return Some(p);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let got = tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        got.ok()?.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            login_free_attempts: 5,
            login_clients: 3,
            ..Limits::default()
        }
    }

    /// Attack seen in `tests/login_storm.rs` (3 of 200 logins refused with 429 although the
    /// limit was far away): a caller that read the clock before waiting for the lock found the
    /// entry's `not_before`, set by a caller that read the clock later, still "in the future".
    #[test]
    fn concurrent_callers_under_the_limit_are_never_told_to_wait() {
        let t = std::sync::Arc::new(LoginThrottle::new(&Limits {
            login_free_attempts: 1_000_000,
            ..Limits::default()
        }));
        let me: IpAddr = "192.0.2.9".parse().unwrap();
        let refused: usize = (0..8)
            .map(|_| {
                let t = t.clone();
                std::thread::spawn(move || {
                    (0..20_000)
                        .filter(|i| {
                            let r = t.begin(me).is_err();
                            if i % 3 == 0 {
                                t.refund(me);
                            }
                            r
                        })
                        .count()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .sum();
        assert_eq!(refused, 0);
    }

    #[test]
    fn a_burst_gets_only_the_free_attempts_then_the_delay_grows() {
        let t = LoginThrottle::new(&limits());
        let me: IpAddr = "192.0.2.1".parse().unwrap();
        let ok = (0..30).filter(|_| t.begin(me).is_ok()).count();
        assert_eq!(ok, 5);
        let wait = t.begin(me).unwrap_err();
        assert!(wait <= Duration::from_secs(1) && wait > Duration::ZERO);
        // Someone else is not affected.
        assert!(t.begin("192.0.2.2".parse().unwrap()).is_ok());
        // A refunded attempt does not count.
        t.refund(me);
        assert!(t.begin(me).is_ok());
        t.succeeded(me);
        assert!(t.begin(me).is_ok());
        assert_eq!(t.delay(0), Duration::from_secs(1));
        assert_eq!(t.delay(3), Duration::from_secs(8));
        assert_eq!(t.delay(40), Duration::from_mins(15));
    }

    #[test]
    fn bookkeeping_is_bounded() {
        let t = LoginThrottle::new(&limits());
        for i in 0..100u8 {
            let _ = t.begin(IpAddr::from([10, 0, 0, i]));
        }
        assert_eq!(t.clients(), 3);
    }

    #[tokio::test]
    async fn the_gate_bounds_checks_and_waiting() {
        let gate = Arc::new(PasswordGate::new(&Limits {
            password_checks: 2,
            password_queue: 1,
            password_wait: Duration::from_millis(200),
            ..Limits::default()
        }));
        let a = gate.acquire().await.unwrap();
        let _b = gate.acquire().await.unwrap();
        // The third waits (queue of one) and gets a slot when one is freed.
        let g = gate.clone();
        let third = tokio::spawn(async move { g.acquire().await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        // The queue is full: the fourth is refused at once.
        assert!(gate.acquire().await.is_none());
        drop(a);
        let _c = third
            .await
            .unwrap()
            .expect("the waiting check gets the freed slot");
        // Nobody frees a slot: waiting ends after password_wait.
        assert!(gate.acquire().await.is_none());
    }
}
