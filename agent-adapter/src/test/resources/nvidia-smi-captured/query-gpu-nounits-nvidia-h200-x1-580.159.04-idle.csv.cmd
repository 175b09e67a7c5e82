nvidia-smi --query-gpu=index,uuid,name,pci.bus_id,driver_version,utilization.gpu,utilization.memory,memory.total,memory.used,temperature.gpu,power.draw,power.limit --format=csv,nounits
