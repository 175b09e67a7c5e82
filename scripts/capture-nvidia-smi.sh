#!/usr/bin/env bash
# Captures real nvidia-smi outputs as parser fixtures: the exact command lines the agent adapter runs
# (NvidiaSmiCommands), idle and under load, plus the XML and the table. Each output is saved as
# <name> with the command line beside it in <name>.cmd, so a fixture always says how it was made.
# Usage: scripts/capture-nvidia-smi.sh <out-dir>   (run on a machine with an NVIDIA GPU)
set -euo pipefail
out=${1:?out dir}
mkdir -p "$out"
gpu_fields="index,uuid,name,pci.bus_id,driver_version,utilization.gpu,utilization.memory,memory.total,memory.used,temperature.gpu,power.draw,power.limit"
app_fields="gpu_uuid,pid,process_name,used_memory"

model=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1 | tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9-')
count=$(nvidia-smi --query-gpu=index --format=csv,noheader | wc -l)
driver=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1 | tr -d ' ')
tag="$model-x$count-$driver"

capture() { # name, command...
  local name=$1; shift
  printf '%s\n' "$*" > "$out/$name.cmd"
  "$@" > "$out/$name" 2> "$out/$name.stderr" || echo "exit $?" >> "$out/$name.stderr"
  [ -s "$out/$name.stderr" ] || rm -f "$out/$name.stderr"
}

round() { # state
  local s=$1
  capture "query-gpu-nounits-$tag-$s.csv" nvidia-smi --query-gpu=$gpu_fields --format=csv,nounits
  capture "query-gpu-$tag-$s.csv" nvidia-smi --query-gpu=$gpu_fields --format=csv
  capture "query-compute-apps-nounits-$tag-$s.csv" nvidia-smi --query-compute-apps=$app_fields --format=csv,nounits
  capture "xml-$tag-$s.xml" nvidia-smi -q -x
  capture "nvidia-smi-table-$tag-$s.txt" nvidia-smi
}

round idle
if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  python3 - <<'PY' &
import time, torch
a = torch.randn(8192, 8192, device='cuda', dtype=torch.bfloat16)
b = torch.randn(8192, 8192, device='cuda', dtype=torch.bfloat16)
end = time.time() + 25
while time.time() < end:
    c = a @ b
torch.cuda.synchronize()
PY
  load_pid=$!
  sleep 12
  round load
  wait "$load_pid"
fi
nvidia-smi --version > "$out/nvidia-smi-version.txt" 2>&1 || true
