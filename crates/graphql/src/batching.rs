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
//!
//! Batches released together also hand their results over together: a result a batch delivers
//! wakes the request only once every released batch has finished. Otherwise the request could
//! go on with the first result while a sibling batch had not yet taken its keys (the next level's
//! keys would join it) or not yet filled the request's cache (keys it holds would be asked for
//! again), and the count would depend on which batch finished first.

use std::cell::Cell;
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
    /// Batches created and not yet released (they wait for the request to be idle).
    waiting: usize,
    /// Batches released and not yet finished handing out their results.
    running: usize,
    /// How many times the request became idle.
    idle_count: u64,
    /// The request's waker, held back while a delivered result waits for its sibling batches.
    deferred: Option<Waker>,
}

thread_local! {
    /// The gate whose batch this thread is polling right now (its address), if any: a wake-up
    /// of that gate's request from here is a batch handing over a result.
    static DELIVERING_FOR: Cell<usize> = const { Cell::new(0) };
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
    /// as running from then until it has finished handing out its results.
    pub fn batch<F: Future<Output = ()>>(&self, batch: F) -> impl Future<Output = ()> + use<F> {
        let ticket = Ticket::issue(self);
        async move {
            ticket.gate.released(ticket.created_at).await;
            Delivering {
                gate: &ticket.gate,
                batch: std::pin::pin!(batch),
            }
            .await;
        }
    }

    /// This gate's identity for [`DELIVERING_FOR`].
    fn address(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }

    /// Waits until the request has become idle since `created_at` (or was never driven, or
    /// finished).
    async fn released(&self, created_at: u64) {
        loop {
            let notified = self.0.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.state().releases(created_at) {
                return;
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

    /// Releases every waiting batch at once: from here they count as running together.
    fn became_idle(&self, mut state: MutexGuard<'_, GateState>) {
        state.idle_count += 1;
        state.running += std::mem::take(&mut state.waiting);
        drop(state);
        self.0.wake.notify_waiters();
    }
}

impl GateState {
    /// Whether a batch created at `created_at` may go.
    fn releases(&self, created_at: u64) -> bool {
        !self.driven || self.closed || self.idle_count > created_at
    }
}

/// One batch's place in the gate's counts, from its creation until it is dropped (finished or
/// cancelled): waiting until the request is idle, then running.
struct Ticket {
    gate: BatchGate,
    created_at: u64,
}

impl Ticket {
    fn issue(gate: &BatchGate) -> Self {
        let mut state = gate.state();
        let created_at = state.idle_count;
        if state.releases(created_at) {
            state.running += 1;
        } else {
            state.waiting += 1;
        }
        Self {
            gate: gate.clone(),
            created_at,
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut state = self.gate.state();
        if !state.releases(self.created_at) {
            // Dropped before it was released: it never ran.
            state.waiting = state.waiting.saturating_sub(1);
            return;
        }
        state.running = state.running.saturating_sub(1);
        if state.running > 0 {
            return;
        }
        if let Some(waker) = state.deferred.take() {
            // Every batch released with this one has handed over its results: go on.
            drop(state);
            waker.wake();
        } else if !state.polling && !state.woken {
            // The request is waiting, and nothing will make it ask for more keys.
            self.gate.became_idle(state);
        }
    }
}

/// Polls a released batch with [`DELIVERING_FOR`] naming its gate.
struct Delivering<'a, F> {
    gate: &'a BatchGate,
    batch: Pin<&'a mut F>,
}

impl<F: Future> Future for Delivering<'_, F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let previous = DELIVERING_FOR.replace(self.gate.address());
        let polled = self.batch.as_mut().poll(cx);
        DELIVERING_FOR.set(previous);
        polled
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
        let mut state = self.gate.state();
        state.woken = true;
        if state.running > 0 && DELIVERING_FOR.get() == self.gate.address() {
            // A batch handing over a result while others released with it still run.
            state.deferred = Some(self.inner.clone());
            return;
        }
        drop(state);
        self.inner.wake_by_ref();
    }
}

impl<F> Drop for Driven<F> {
    fn drop(&mut self) {
        // A cancelled request (timeout, client gone) must not leave batches waiting forever.
        let mut state = self.gate.state();
        state.closed = true;
        state.deferred = None;
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn results_reach_the_request_once_every_released_batch_finished() {
        let gate = BatchGate::new();
        let slow_finished = Arc::new(AtomicBool::new(false));
        let batches = gate.clone();
        let slow_flag = slow_finished.clone();
        let request = gate.drive(async move {
            let (sender, receiver) = tokio::sync::oneshot::channel();
            let fast = tokio::spawn(batches.batch(async move {
                let _ = sender.send(());
            }));
            let slow = tokio::spawn(batches.batch(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                slow_flag.store(true, Ordering::SeqCst);
            }));
            receiver.await.expect("the fast batch delivers");
            let seen = slow_finished.load(Ordering::SeqCst);
            (seen, fast, slow)
        });
        let (seen, fast, slow) = tokio::time::timeout(Duration::from_secs(5), request)
            .await
            .expect("the request finishes");
        assert!(
            seen,
            "the fast result was handed over only after the slow batch finished"
        );
        fast.await.expect("fast task");
        slow.await.expect("slow task");
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
