//! Memory a finished stage freed, given back to the operating system.
//!
//! Owns: the one call into mimalloc, the allocator of splitcheck's binaries. mimalloc keeps
//! freed pages for reuse by the thread that freed them; the module trees and the resolution of
//! a large crate, freed after its graph is made, would otherwise stay resident under the
//! search's own allocations. With the trees dropped and this called once after the graph is
//! made, the report's peak RSS went from 56-58 to 46-47 MB on a generated 125K-line crate and
//! from 75-78 to 58-60 MB on tokio, its time unchanged (3 interleaved runs each, 2-core Xeon,
//! 2026-12-06). Collecting on every free instead (`MIMALLOC_PURGE_DELAY=0`) reached 38 MB on
//! the 125K crate but took half as long again.
//! Must not: be called in a loop (each call walks every thread's heap), or be relied on for
//! correctness: where the binary's allocator is another, it does nothing.

/// Returns the pages freed on the parsing workers and on this thread to the operating system.
pub fn release_freed() {
    fn collect() {
        // SAFETY: `mi_collect` takes no pointer and may be called on any thread at any time.
        unsafe { libmimalloc_sys::mi_collect(true) }
    }
    rayon::broadcast(|_| collect());
    collect();
}
