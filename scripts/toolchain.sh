# Sourced by setup.sh, build.sh and fuzz.sh: the one pinned nightly.
# The package build uses it to rebuild std for size (build-std with
# `-Cpanic=immediate-abort` and std's `optimize_for_size`), which a stable
# toolchain cannot do; it is pinned so a fresh machine gets the same
# compiler, and the same bytes, as the budget was measured with. Everything
# else (clippy, tests, the server) stays on stable.
NIGHTLY=nightly-2026-05-20
