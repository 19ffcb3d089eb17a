# Generates pyset.txt, the expected CPython set iteration orders of
# (afi, safi) tuples that rib/pyset_test.go checks rib's emulation
# against: python3 pyset_gen.py > pyset.txt
import random
import sys

FAMILIES = [
    (1, 1), (1, 2), (1, 4), (1, 5), (1, 85), (1, 128), (1, 132), (1, 133), (1, 134),
    (2, 1), (2, 2), (2, 4), (2, 5), (2, 85), (2, 128), (2, 133), (2, 134),
    (25, 65), (25, 70), (16388, 71), (16388, 72),
]


def fmt(seq):
    return ' '.join('%d/%d' % f for f in seq)


def main():
    rnd = random.Random(5013)
    cases = [FAMILIES, list(reversed(FAMILIES))]
    for n in range(1, len(FAMILIES) + 1):
        for _ in range(12):
            cases.append(sorted(rnd.sample(FAMILIES, n)))
            cases.append(rnd.sample(FAMILIES, n))
    print('# python %s' % sys.version.split()[0])
    print('# added in order | set iteration order')
    for seq in cases:
        order = list(set(seq).intersection(seq))  # cached_changes
        refresh = set()
        for f in set(seq):  # resend's _refresh_families
            refresh.add(f)
        s = set()
        for f in seq:
            s.add(f)
        assert list(s) == order == list(set(seq))
        print('%s | %s | %s' % (fmt(seq), fmt(order), fmt(list(refresh))))


main()
