"""Segments: groups of contacts with a similar interaction pattern, each named by its traits.

Every contact with interactions is described by a few standardised numbers: how often
(log conversations per month, 1-year memory), how much per conversation, how long the messages
are, evening and weekend shares (in the user's zone, when the log is given), and the channel mix
(chats / e-mail / calls and meetings); optionally a topic-share matrix. K-means with a fixed
``random_state`` groups them deterministically, and each group is named from the traits where its
centre stands out: "frequent evening chats", "occasional work-hours e-mail", "rare calls"...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from netassist.core.engine._groups import group_bounds
from netassist.core.engine._localtime import local_weekday_hour
from netassist.core.engine.events import CHANNEL_CODES, EventLog
from netassist.core.engine.features import ContactFeatures

CHAT_CHANNELS = ("telegram", "whatsapp", "messenger", "instagram", "vk", "signal", "sms", "other")
VOICE_CHANNELS = ("call", "meeting")


@dataclass
class Segment:
    id: int
    name: str
    traits: list[str]
    size: int
    contact_ids: list[int] = field(default_factory=list)


@dataclass
class Segmentation:
    contact: np.ndarray
    label: np.ndarray  # int64 segment id per contact, -1 = never interacted
    segments: list[Segment]


def _time_shares(log: EventLog, contact: np.ndarray, tz: str) -> tuple[np.ndarray, np.ndarray]:
    """Share of each contact's events in the evening (18:00-02:00) and at weekends."""
    evening = np.zeros(len(contact))
    weekend = np.zeros(len(contact))
    keys, _, gid = group_bounds(log.contact)
    if len(keys) == 0:
        return evening, weekend
    wd, hr = local_weekday_hour(log.t, tz)
    n = np.maximum(np.bincount(gid, minlength=len(keys)), 1).astype(np.float64)
    ev = np.bincount(gid, weights=(hr >= 18) | (hr < 2), minlength=len(keys)) / n
    we = np.bincount(gid, weights=wd >= 5, minlength=len(keys)) / n
    pos = np.minimum(np.searchsorted(keys, contact), len(keys) - 1)
    found = keys[pos] == contact
    evening[found] = ev[pos[found]]
    weekend[found] = we[pos[found]]
    return evening, weekend


def segment_contacts(
    f: ContactFeatures,
    log: EventLog | None = None,
    tz: str = "UTC",
    n_segments: int | None = None,
    topic_shares: np.ndarray | None = None,
    topic_names: Sequence[str] | None = None,
    random_state: int = 0,
) -> Segmentation:
    """Cluster contacts that have interactions; ``topic_shares`` is (len(f), n_topics)."""
    from sklearn.cluster import KMeans  # lazy: heavy import
    from threadpoolctl import threadpool_limits

    active = np.flatnonzero(~f.never)
    label = np.full(len(f), -1, dtype=np.int64)
    if len(active) == 0:
        return Segmentation(f.contact, label, [])
    mix = f.channel_mix[active]
    chat = mix[:, [CHANNEL_CODES[c] for c in CHAT_CHANNELS]].sum(axis=1)
    email = mix[:, CHANNEL_CODES["email"]]
    voice = mix[:, [CHANNEL_CODES[c] for c in VOICE_CHANNELS]].sum(axis=1)
    freq = np.log1p(f.conv_decayed[active, -1] / 12.0)  # ~conversations per month, year memory
    depth = np.log1p(f.msgs_per_conversation[active])
    length = np.log1p(f.mean_length[active])
    if log is not None:
        evening, weekend = _time_shares(log, f.contact[active], tz)
    else:
        evening = weekend = np.zeros(len(active))
    cols = [freq, depth, length, evening, weekend, chat, email, voice]
    names = ["freq", "depth", "length", "evening", "weekend", "chat", "email", "voice"]
    if topic_shares is not None:
        ts = np.asarray(topic_shares, dtype=np.float64)[active]
        cols += [ts[:, j] for j in range(ts.shape[1])]
        names += [f"topic{j}" for j in range(ts.shape[1])]
    x = np.column_stack(cols)
    mu, sd = x.mean(axis=0), x.std(axis=0)
    z = (x - mu) / np.where(sd > 1e-9, sd, 1.0)
    n = len(active)
    k = n_segments if n_segments else int(np.clip(round(np.sqrt(n / 10)), 1, 8))
    k = max(1, min(k, n))
    if k == 1:
        lab = np.zeros(n, dtype=np.int64)
        centres = z.mean(axis=0, keepdims=True)
    else:
        # One thread: with the default pool K-means on 10k x 8 took 30 s instead of 0.3 s on a
        # 2-core machine (oversubscription); the data is tiny, threads only cost here.
        with threadpool_limits(1):
            km = KMeans(n_clusters=k, n_init=10, random_state=random_state)  # type: ignore[arg-type]
            lab = np.asarray(km.fit_predict(z), dtype=np.int64)
        centres = np.array(
            [
                z[lab == j].mean(axis=0) if (lab == j).any() else np.zeros(z.shape[1])
                for j in range(k)
            ]
        )
    # Stable ids: order segments by size (largest first), then by mean frequency.
    sizes = np.bincount(lab, minlength=k)
    order = sorted(range(k), key=lambda j: (-sizes[j], -centres[j][0]))
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    label[active] = remap[lab]
    segs: list[Segment] = []
    for new_id, j in enumerate(order):
        members = lab == j
        raw = x[members].mean(axis=0)
        traits = _traits(centres[j], raw, names, topic_names)
        segs.append(
            Segment(
                new_id,
                " ".join(traits),
                traits,
                int(members.sum()),
                [int(c) for c in f.contact[active][members]],
            )
        )
    return Segmentation(f.contact, label, segs)


def _traits(
    centre: np.ndarray, raw: np.ndarray, names: list[str], topic_names: Sequence[str] | None
) -> list[str]:
    c = dict(zip(names, centre, strict=True))
    r = dict(zip(names, raw, strict=True))
    per_month = float(np.expm1(r["freq"]))
    freq = "frequent" if per_month >= 2 else ("occasional" if per_month >= 0.3 else "rare")
    traits = [freq]
    if r["evening"] >= 0.45 or c["evening"] > 0.8:
        traits.append("evening")
    elif r["weekend"] >= 0.4 or c["weekend"] > 0.8:
        traits.append("weekend")
    elif r["evening"] < 0.2 and r["weekend"] < 0.15 and r["chat"] + r["email"] + r["voice"] > 0:
        traits.append("work-hours")
    if topic_names is not None:
        tcols = [n for n in names if n.startswith("topic")]
        if tcols:
            best = max(tcols, key=lambda n: r[n])
            if r[best] > 0.3:
                traits.append(str(topic_names[int(best[5:])]))
    channel = max(("chat", "email", "voice"), key=lambda n: r[n])
    noun = {"chat": "chats", "email": "e-mail", "voice": "calls and meetings"}[channel]
    if channel == "chat" and r["depth"] > np.log1p(8):
        noun = "long chats"
    traits.append(noun)
    return traits
