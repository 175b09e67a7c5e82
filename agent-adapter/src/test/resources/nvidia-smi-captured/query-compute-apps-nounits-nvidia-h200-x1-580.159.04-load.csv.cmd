nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_memory --format=csv,nounits
