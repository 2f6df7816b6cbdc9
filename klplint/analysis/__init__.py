"""The analyzer: the livepatch core as a state machine (lifecycle), kernel-call models (kapi), the executor and the engine that drives it over every scenario (driver). See README.md."""
