# group_member.py BOOTSTRAP GROUP TOPIC CLIENT_ID: one consumer of an external
# (non-ksight) group, for the rebalance scenarios; SIGTERM closes it cleanly
# (LeaveGroup), SIGKILL leaves the coordinator to wait for its 6 s session.
import signal, sys
from confluent_kafka import Consumer

bootstrap, group, topic, client_id = sys.argv[1:5]
stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "client.id": client_id,
              "session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
              "auto.offset.reset": "earliest"})
c.subscribe([topic])
while not stop:
    c.poll(0.2)
c.close()
