//! [`Mimalloc`]: the global allocator of the `bulwark` binary and of its
//! benchmarks.
//!
//! The `mimalloc` crate's allocator passes every request to
//! `mi_malloc_aligned`, with the alignment Rust gives. mimalloc 3 serves
//! that from a free block only when the block happens to be aligned, and
//! otherwise takes a generic path that may over-allocate (a 48-byte
//! request can take a 64-byte block); Rust's requests almost never need
//! more alignment than any block has. This allocator asks for a plain
//! `mi_malloc` whenever a plain block is aligned enough, which is the
//! test the standard library's own allocator makes before calling
//! `malloc`, and the aligned functions otherwise.
//!
//! It is the one crate of the workspace with `unsafe` code: a global
//! allocator is an `unsafe impl` by definition. The open upstream change
//! doing the same is purpleprotocol/mimalloc_rust#170; once the crate
//! does it, this crate goes.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// mimalloc, asked for plain blocks whenever they are aligned enough.
pub struct Mimalloc;

/// The alignment of every mimalloc block larger than 8 bytes:
/// `MI_MAX_ALIGN_SIZE`, the size of C's `max_align_t` on the platforms
/// bulwark is built for.
const PLAIN_ALIGN: usize = 16;

/// True when `mi_malloc(size)` returns memory aligned to `align`:
/// mimalloc's smallest blocks (8 bytes) are aligned to 8 and every larger
/// block to 16, so an alignment of at most 16 that is no more than the
/// size is always met. Rust's own types ask for nothing else (a type's
/// size is a multiple of its alignment), bar SIMD types and
/// `#[repr(align)]`.
///
/// This rests on how mimalloc sizes its blocks (small size classes are
/// rounded to two words, and a page's first block starts 16-aligned), not
/// on a documented promise: `libmimalloc-sys` is pinned exactly, and debug
/// builds check every plain block.
const fn plain_is_aligned(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: each method forwards to the mimalloc function with the
// contract `GlobalAlloc` asks for. A plain block is
// used only where `plain_is_aligned` holds, which mimalloc guarantees
// (blocks of 8 bytes are 8-aligned, all larger ones 16-aligned); otherwise
// the aligned functions are called, as the `mimalloc` crate does.
// `mi_free` and the `mi_realloc` family accept blocks from either.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: `size` is not zero (the caller's contract).
        unsafe { allocate(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe { allocate(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract),
        // so from mimalloc, which frees any of its blocks by address.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` came from this allocator with `layout`, by either
        // path (mimalloc reallocates blocks from its aligned functions as
        // well as plain ones). `mi_realloc` either returns `ptr` itself,
        // which has `align` already, or a new plain block of `new_size`,
        // aligned by the same test as in `alloc`; `mi_realloc_aligned`
        // returns `ptr` only when it is aligned, else a new aligned block.
        let block: *mut u8 = unsafe {
            if plain_is_aligned(new_size, align) {
                mi::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast(), new_size, align).cast()
            }
        };
        debug_assert!(block.is_null() || (block as usize).is_multiple_of(align));
        block
    }
}

/// A block for `layout` from `plain` when a plain block is aligned
/// enough, else from `aligned`: mimalloc's allocating or zeroing pair.
///
/// # Safety
/// `layout` has a non-zero size; the functions are mimalloc's.
#[inline]
unsafe fn allocate(
    layout: Layout,
    plain: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    let (size, align) = (layout.size(), layout.align());
    // SAFETY: see the impl and this function's contract.
    let block: *mut u8 = unsafe {
        if plain_is_aligned(size, align) {
            plain(size).cast()
        } else {
            aligned(size, align).cast()
        }
    };
    debug_assert!(block.is_null() || (block as usize).is_multiple_of(align));
    block
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[global_allocator]
    static ALLOCATOR: Mimalloc = Mimalloc;

    #[test]
    fn plain_blocks_only_for_alignments_they_have() {
        assert!(plain_is_aligned(8, 8));
        assert!(plain_is_aligned(1, 1));
        assert!(plain_is_aligned(48, 16));
        assert!(!plain_is_aligned(4, 8), "an alignment above the size");
        assert!(!plain_is_aligned(64, 32), "an alignment above 16");
        assert!(!plain_is_aligned(4096, 4096));
    }

    proptest! {
        /// Whichever path a request takes, the memory has the alignment
        /// asked for, holds what is written to it, is zeroed when asked,
        /// and keeps its bytes when it grows or shrinks.
        #[test]
        fn every_block_is_aligned_and_usable(
            size in 1usize..20_000,
            align_log in 0u32..13,
            new_size in 1usize..20_000,
            zeroed in any::<bool>(),
        ) {
            let align = 1usize << align_log;
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: a layout of non-zero size; the block is written
            // within its size, then freed once, with its layout.
            unsafe {
                let p = if zeroed { ALLOCATOR.alloc_zeroed(layout) } else { ALLOCATOR.alloc(layout) };
                prop_assert!(!p.is_null());
                prop_assert_eq!(p as usize % align, 0);
                if zeroed {
                    prop_assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                }
                for i in 0..size {
                    p.add(i).write(i as u8);
                }
                let q = ALLOCATOR.realloc(p, layout, new_size);
                prop_assert!(!q.is_null());
                prop_assert_eq!(q as usize % align, 0);
                for i in 0..size.min(new_size) {
                    prop_assert_eq!(q.add(i).read(), i as u8);
                }
                ALLOCATOR.dealloc(q, Layout::from_size_align(new_size, align).unwrap());
            }
        }
    }
}
