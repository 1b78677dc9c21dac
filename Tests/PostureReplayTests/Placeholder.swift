// placeholder until PostureReplayTests lands
