#!/bin/sh
# A stand-in for apt-get and sudo (tests/ci/integrations_test.py puts it on PATH under their
# names, as $1): nothing is installed or downloaded while the tests run.
name=$1
shift
echo "$name $*" >> "$FAKE_INSTALL_LOG"
echo "$name is not available in this test: $*" >&2
exit 100
