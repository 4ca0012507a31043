"""Polygons and polylines: area, simplicity (no self-intersection) and holes."""

from __future__ import annotations

from collections.abc import Sequence

Point = tuple[float, float]
Ring = Sequence[Sequence[float]]

_EPS = 1e-12


def as_ring(points: Ring) -> list[Point]:
    """Points as tuples with consecutive duplicates and a repeated closing point removed."""
    ring: list[Point] = []
    for raw in points:
        point = (float(raw[0]), float(raw[1]))
        if not ring or ring[-1] != point:
            ring.append(point)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def signed_area(points: Ring) -> float:
    """Shoelace area: positive when counter-clockwise in y-up axes (clockwise on screen)."""
    ring = as_ring(points)
    total = 0.0
    for i, (x1, y1) in enumerate(ring):
        x2, y2 = ring[(i + 1) % len(ring)]
        total += x1 * y2 - x2 * y1
    return total / 2.0


def polygon_area(points: Ring, holes: Sequence[Ring] = ()) -> float:
    """Area of the outer ring minus the areas of its holes."""
    return abs(signed_area(points)) - sum(abs(signed_area(hole)) for hole in holes)


def _orientation(p: Point, q: Point, r: Point) -> int:
    cross = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    if abs(cross) <= _EPS:
        return 0
    return 1 if cross > 0 else -1


def _on_segment(p: Point, q: Point, r: Point) -> bool:
    """Whether q, known collinear with p-r, lies on the segment p-r."""
    return min(p[0], r[0]) <= q[0] <= max(p[0], r[0]) and min(p[1], r[1]) <= q[1] <= max(p[1], r[1])


def segments_intersect(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """True if the closed segments p1-p2 and q1-q2 share at least one point."""
    o1, o2 = _orientation(p1, p2, q1), _orientation(p1, p2, q2)
    o3, o4 = _orientation(q1, q2, p1), _orientation(q1, q2, p2)
    if o1 != o2 and o3 != o4:
        return True
    return (
        (o1 == 0 and _on_segment(p1, q1, p2))
        or (o2 == 0 and _on_segment(p1, q2, p2))
        or (o3 == 0 and _on_segment(q1, p1, q2))
        or (o4 == 0 and _on_segment(q1, p2, q2))
    )


def _edges(ring: list[Point], closed: bool) -> list[tuple[Point, Point]]:
    count = len(ring) if closed else len(ring) - 1
    return [(ring[i], ring[(i + 1) % len(ring)]) for i in range(count)]


def _folds_back(a: Point, b: Point, c: Point) -> bool:
    """Adjacent edges a-b and b-c overlap (the path turns back on itself)."""
    if _orientation(a, b, c) != 0:
        return False
    return (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0


def is_simple(points: Ring, closed: bool = True) -> bool:
    """True if no two edges cross or touch except adjacent edges at their shared vertex."""
    ring = as_ring(points) if closed else [(float(p[0]), float(p[1])) for p in points]
    edges = _edges(ring, closed)
    count = len(edges)
    for i in range(count):
        for j in range(i + 1, count):
            adjacent = j == i + 1 or (closed and i == 0 and j == count - 1)
            if adjacent:
                first, second = (edges[i], edges[j]) if j == i + 1 else (edges[j], edges[i])
                if _folds_back(first[0], first[1], second[1]):
                    return False
                continue
            if segments_intersect(*edges[i], *edges[j]):
                return False
    return True


def contains_point(points: Ring, point: Point) -> bool:
    """Even-odd test; points on the boundary count as inside."""
    ring = as_ring(points)
    x, y = point
    inside = False
    for a, b in _edges(ring, closed=True):
        if _orientation(a, b, point) == 0 and _on_segment(a, point, b):
            return True
        if (a[1] > y) != (b[1] > y):
            x_cross = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if x < x_cross:
                inside = not inside
    return inside


def rings_cross(first: Ring, second: Ring) -> bool:
    """True if any edge of one ring touches or crosses any edge of the other."""
    edges_a = _edges(as_ring(first), closed=True)
    edges_b = _edges(as_ring(second), closed=True)
    return any(segments_intersect(*a, *b) for a in edges_a for b in edges_b)


def ring_problems(points: Ring) -> list[str]:
    """Why a ring is not a valid simple polygon (empty list when it is)."""
    ring = as_ring(points)
    if len(set(ring)) < 3:
        return ["a polygon needs at least 3 distinct points"]
    first, second = ring[0], next(p for p in ring if p != ring[0])
    if all(_orientation(first, second, p) == 0 for p in ring):
        return ["the polygon has zero area: its points are collinear"]
    if not is_simple(ring):
        return ["the polygon intersects itself"]
    return []


def polygon_problems(points: Ring, holes: Sequence[Ring] = ()) -> list[tuple[list[int], str]]:
    """Problems of a polygon with holes, each as (location suffix, message)."""
    problems: list[tuple[list[int], str]] = [([], msg) for msg in ring_problems(points)]
    if problems:
        return problems
    for index, hole in enumerate(holes):
        found = ring_problems(hole)
        if not found and rings_cross(points, hole):
            found = ["the hole crosses or touches the outer ring"]
        if not found and not all(contains_point(points, p) for p in as_ring(hole)):
            found = ["the hole is not inside the outer ring"]
        if not found and any(rings_cross(hole, other) for other in holes[:index]):
            found = ["the hole crosses another hole"]
        problems.extend(([index], msg) for msg in found)
    return problems


def polyline_problems(points: Ring) -> list[str]:
    """Why a polyline is invalid: fewer than 2 distinct points."""
    distinct = {(float(p[0]), float(p[1])) for p in points}
    return [] if len(distinct) >= 2 else ["a polyline needs at least 2 distinct points"]
