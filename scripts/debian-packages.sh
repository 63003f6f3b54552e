#!/usr/bin/env bash
# Installs the Debian packages named as arguments, in one apt run, when running as root; otherwise
# prints the one command that installs them and fails. Prints what it installed.
set -uo pipefail
[ $# -gt 0 ] || exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu gói Debian: $*. Hãy chạy lệnh sau rồi chạy lại:" >&2
  echo "  sudo apt-get install -y $*" >&2
  exit 1
fi
echo "Đang cài gói Debian: $* (apt-get) …"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }; then
  echo "Không cài được: $*. Hãy kiểm tra kết nối tới kho gói Debian rồi chạy lại." >&2
  exit 1
fi
echo "Đã cài gói Debian: $*"
