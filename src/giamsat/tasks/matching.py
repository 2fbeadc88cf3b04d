"""The same task in two documents: propose, then a person confirms or rejects.

Documents restate tasks with small changes (a new deadline, a successor agency, a word
more or less). A task read with no directive, or with a title close to a known task's, is
compared with the known tasks of other documents; pairs whose titles are similar enough
are proposed with a score (Dice coefficient of their folded words, 0–1). Confirming folds
the newer task into the older one and keeps every appearance, so both wordings, deadlines
and agencies stay in the task's history (merging.py).
"""

from collections import Counter, defaultdict

from giamsat.tasks.models import Appearance, Task, TaskMatch

THRESHOLD = 0.75  # below this, titles share words but not meaning (measured on the corpus)
MAX_PROPOSALS = 3  # per new task: a person looks at a few, not at a list
# Words every task title has; they say nothing about which task it is.
_COMMON = frozenset({
    "va", "cac", "cua", "trong", "de", "ve", "cho", "tai", "tren", "theo", "voi", "xay",
    "dung", "trien", "khai", "thuc", "hien", "hoan", "thanh",
})


def title_words(title_key: str) -> frozenset[str]:
    words = (w.strip(".,;:()\"“”'") for w in title_key.split())
    return frozenset(w for w in words if w and w not in _COMMON)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def propose_matches(new_tasks_per_file: list[list[Task]]) -> list[int]:
    """Create TaskMatch proposals for tasks just read; how many per file."""
    new_ids = {t.pk for tasks in new_tasks_per_file for t in tasks}
    sources = defaultdict(set)  # task id → content hashes of the files it appears in
    for task_id, sha in Appearance.objects.values_list("task_id", "source_sha256"):
        sources[task_id].add(sha)
    index = defaultdict(set)  # word → ids of tasks whose title has it
    words = {}
    for task_id, key in Task.objects.values_list("id", "title_key"):
        words[task_id] = title_words(key)
        for word in words[task_id]:
            index[word].add(task_id)
    known = set(TaskMatch.objects.values_list("task_id", "candidate_id"))
    counts = []
    for tasks in new_tasks_per_file:
        count = 0
        for task in tasks:
            mine = words.get(task.pk, frozenset())
            # Words in common, counted from the index: Dice = 2·shared / (|a| + |b|).
            shared = Counter(other for word in mine for other in index[word])
            shared.pop(task.pk, None)
            scored = sorted(
                ((2 * n / (len(mine) + len(words[other])), other) for other, n in shared.items()
                 if not sources[other] & sources[task.pk]
                 and (other not in new_ids or other < task.pk)),
                reverse=True,
            )
            for score, other in scored[:MAX_PROPOSALS]:
                if score < THRESHOLD or (other, task.pk) in known:
                    continue
                TaskMatch.objects.create(task_id=other, candidate=task,
                                         candidate_title=task.title, score=round(score, 3))
                known.add((other, task.pk))
                count += 1
        counts.append(count)
    return counts
