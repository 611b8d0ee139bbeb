//! Deterministic dataloader batches.
//!
//! async-graphql's `DataLoader` starts a batch a fixed delay after the first key arrives. When
//! resolving a long list takes longer than that delay (a big page, a busy machine), or when the
//! request wakes up while an earlier batch is still handing out its results, the batch leaves
//! with only part of the keys and the rest go in another one: the number of SQL statements then
//! depends on timing. [`BatchGate`] removes the timing. A batch starts only once the request is
//! *idle*: its future has returned `Pending` while no batch of its own was still running. At
//! that point every field that can ask for a key has asked, so one level of a nested query
//! costs one statement per relation, whatever the number of rows and however busy the machine.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use tokio::sync::Notify;

/// Tells loader batches when the request they serve is idle.
#[derive(Debug, Clone, Default)]
pub struct BatchGate(Arc<Gate>);

#[derive(Debug, Default)]
struct Gate {
    state: Mutex<GateState>,
    wake: Notify,
}

#[derive(Debug, Default)]
struct GateState {
    /// Whether a request is driven through this gate (if not, batches never wait).
    driven: bool,
    /// Set when the driven request completed or was dropped: nothing waits any more.
    closed: bool,
    /// Whether the request's future is being polled right now.
    polling: bool,
    /// Whether the request was woken since its last poll began (another poll is coming).
    woken: bool,
    /// Batches released and not yet finished handing out their results.
    running: usize,
    /// How many times the request became idle.
    idle_count: u64,
}

impl BatchGate {
    /// A gate no request drives yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Wraps the request's execution; batches wait until it is idle.
    pub fn drive<F: Future>(&self, future: F) -> Driven<F> {
        self.state().driven = true;
        Driven {
            future: Box::pin(future),
            gate: self.clone(),
        }
    }

    /// Prepares one batch: call it when the batch is created (synchronously, inside the
    /// request's poll), then run the returned future anywhere. The batch waits until the request
    /// is idle after that moment (at once if no request is driven or it has finished), and counts
    /// as running until it has finished handing out its results.
    pub fn batch<F: Future<Output = ()>>(&self, batch: F) -> impl Future<Output = ()> + use<F> {
        let gate = self.clone();
        let created_at = self.state().idle_count;
        async move {
            gate.released(created_at).await;
            let _running = Running(&gate);
            batch.await;
        }
    }

    /// Waits until the request has become idle since `created_at`, then counts a running batch.
    async fn released(&self, created_at: u64) {
        loop {
            let notified = self.0.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut state = self.state();
                if !state.driven || state.closed || state.idle_count > created_at {
                    state.running += 1;
                    return;
                }
            }
            notified.await;
        }
    }

    fn state(&self) -> MutexGuard<'_, GateState> {
        // The state is plain counters and flags, valid even if a holder panicked.
        self.0
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn became_idle(&self, mut state: MutexGuard<'_, GateState>) {
        state.idle_count += 1;
        drop(state);
        self.0.wake.notify_waiters();
    }
}

/// Marks a released batch as finished when dropped (also if it is cancelled).
struct Running<'a>(&'a BatchGate);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.running = state.running.saturating_sub(1);
        if state.running == 0 && !state.polling && !state.woken {
            // The request is waiting, and nothing will make it ask for more keys.
            self.0.became_idle(state);
        }
    }
}

/// A request's execution, driven through a [`BatchGate`].
pub struct Driven<F> {
    future: Pin<Box<F>>,
    gate: BatchGate,
}

impl<F> std::fmt::Debug for Driven<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driven").finish_non_exhaustive()
    }
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        {
            let mut state = self.gate.state();
            state.polling = true;
            state.woken = false;
        }
        // Notes wake-ups (a batch handing out results, a budget yield): while one is pending,
        // the request still has work to do and is not idle.
        let waker = Waker::from(Arc::new(NotingWaker {
            gate: self.gate.clone(),
            inner: cx.waker().clone(),
        }));
        let polled = self.future.as_mut().poll(&mut Context::from_waker(&waker));
        let mut state = self.gate.state();
        state.polling = false;
        match polled {
            Poll::Pending if state.running == 0 && !state.woken => self.gate.became_idle(state),
            Poll::Pending => {}
            Poll::Ready(_) => {
                state.closed = true;
                self.gate.became_idle(state);
            }
        }
        polled
    }
}

/// Wakes the request and records that it was woken.
struct NotingWaker {
    gate: BatchGate,
    inner: Waker,
}

impl Wake for NotingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.gate.state().woken = true;
        self.inner.wake_by_ref();
    }
}

impl<F> Drop for Driven<F> {
    fn drop(&mut self) {
        // A cancelled request (timeout, client gone) must not leave batches waiting forever.
        let mut state = self.gate.state();
        state.closed = true;
        self.gate.became_idle(state);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn an_undriven_gate_never_waits() {
        BatchGate::new().batch(async {}).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_waiter_starts_only_after_the_driven_request_pauses() {
        let gate = BatchGate::new();
        let started = Arc::new(AtomicBool::new(false));
        let waiter_gate = gate.clone();
        let waiter_started = started.clone();
        let request = gate.drive(async move {
            // Like a resolver: asks for a batch, then keeps working without yielding. Another
            // worker thread is free to run the waiter meanwhile; the gate must hold it back.
            let waiter = tokio::spawn(
                waiter_gate.batch(async move { waiter_started.store(true, Ordering::SeqCst) }),
            );
            std::thread::sleep(Duration::from_millis(50));
            let early = started.load(Ordering::SeqCst);
            tokio::task::yield_now().await;
            (waiter, early)
        });
        let (waiter, early) = request.await;
        assert!(!early, "the batch waited for the request to pause");
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("the waiter starts once the request paused")
            .expect("waiter task");
    }

    #[tokio::test]
    async fn dropping_the_request_releases_waiters() {
        let gate = BatchGate::new();
        let request = gate.drive(std::future::pending::<()>());
        let waiter = tokio::spawn(gate.batch(async {}));
        tokio::task::yield_now().await;
        drop(request);
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("released")
            .expect("task");
    }
}
