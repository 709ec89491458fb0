#!/usr/bin/env bash
# Installs the programs the tests use beside Python: Chromium and its driver (browser tests, static figure export),
# espeak-ng (synthesised speech), ffmpeg and sox (audio decoding), R (reads the export back as a user's R would).
# Skips what is already there.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v sox >/dev/null || need+=(sox)
command -v Rscript >/dev/null || need+=(r-base-core)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
