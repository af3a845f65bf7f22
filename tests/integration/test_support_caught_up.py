"""The tests' `caught_up` waits for a consumer group to have read a topic to its end.
Its partitions were asked of a consumer subscribed to nothing, which knows none: every
group looked caught up at once, and the waits built on it (privacy's acknowledgements,
the retention sweep's notices) waited for nothing."""

import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from tests.privacy_support import caught_up


async def test_a_group_behind_on_a_topic_is_not_caught_up_until_it_commits_its_ends(
    infra,
) -> None:
    bootstrap, topic = infra.kafka_bootstrap, f"caught-up-{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 2, 1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for i in range(5):
            await producer.send_and_wait(topic, b"x", key=str(i).encode())
    finally:
        await producer.stop()
    group = f"behind-{uuid.uuid4().hex[:8]}"
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group)
    await reader.start()
    try:
        parts = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
        reader.assign(parts)
        await reader.commit({parts[0]: 0})  # the group exists, and has read nothing

        assert not await caught_up(bootstrap, group, [topic])

        await reader.commit(await reader.end_offsets(parts))
        assert await caught_up(bootstrap, group, [topic])
    finally:
        await reader.stop()
