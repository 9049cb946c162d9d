"""How a place's name is found in the map's points file (``content/geo/``): the map and the checks."""


def find_point(points, name):
    wanted = name.casefold()
    for point in points:
        properties = point["properties"]
        if wanted in {str(properties.get(key, "")).casefold() for key in ("name", "name_fr", "id")}:
            return point
    return None
