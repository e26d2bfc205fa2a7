"""DDP in a live system: one event at a time, as each arrives (times in ms).

    python examples/online_ddp.py

Each push gives the event's arrival time and its three rows over the points 0..k, as estimated
at that moment: front-end compute F, transmission T (at the current network status) and cloud
compute C (at the current cloud load). The chosen point comes back at once.
"""

import ddp

online = ddp.OnlineDDP(devices=2, cloud_units=1)
front = [0, 10, 130, 150]
cloud = [75, 70, 35, 0]
events = [  # (arrival, device, trans): the uplink of device 1 is congested
    (0, 0, [383, 58, 87, 2]),
    (0, 1, [766, 116, 174, 4]),
    (40, 0, [383, 58, 87, 2]),
    (90, 1, [766, 116, 174, 4]),
]
for arrival, device, trans in events:
    point = online.push(arrival=arrival, front=front, trans=trans, cloud=cloud, device=device)
    print(f"event {online.events - 1} (device {device}, at {arrival} ms): point {point}")
schedule = online.schedule()
print(f"makespan {online.makespan:.1f} ms; cloud finish per event {schedule.finish_cloud.tolist()}")
