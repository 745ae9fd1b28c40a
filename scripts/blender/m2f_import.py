# Imports an m2f animation (Live Link Face CSV or m2f JSON) onto the ARKit-named shape keys of any mesh,
# and sets the scene's frame rate and frame range to the animation's (30 fps for m2f output; Blender's
# default scene is 24 fps, which would play it 25 % slow).
#
# As an add-on: Edit → Preferences → Add-ons → Install… this file, enable "Import: m2f animation";
# then File → Import → m2f animation (.csv/.json) with the meshes selected (none selected: every mesh
# whose shape keys carry ARKit names).
# From the command line (background mode works):
#   blender scene.blend --python scripts/blender/m2f_import.py -- take.csv [--object Face] [--start 1] [--save out.blend]
#
# Shape keys match the 52 ARKit names ignoring case (jawOpen, JawOpen); frame k of the animation lands on
# scene frame start + k (start defaults to 1), linear interpolation between frames.
import csv
import json
import sys

import bpy

bl_info = {
    "name": "m2f animation (Live Link CSV / m2f JSON)",
    "author": "Media2Face-Swift",
    "version": (1, 0),
    "blender": (3, 0, 0),
    "location": "File > Import > m2f animation (.csv/.json)",
    "description": "ARKit blendshape animation onto shape keys, with the scene rate and range set",
    "category": "Import-Export",
}

ARKIT_NAMES = [
    "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight", "cheekPuff",
    "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft", "eyeBlinkRight", "eyeLookDownLeft",
    "eyeLookDownRight", "eyeLookInLeft", "eyeLookInRight", "eyeLookOutLeft", "eyeLookOutRight",
    "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft", "eyeSquintRight", "eyeWideLeft", "eyeWideRight",
    "jawForward", "jawLeft", "jawOpen", "jawRight", "mouthClose", "mouthDimpleLeft", "mouthDimpleRight",
    "mouthFrownLeft", "mouthFrownRight", "mouthFunnel", "mouthLeft", "mouthLowerDownLeft",
    "mouthLowerDownRight", "mouthPressLeft", "mouthPressRight", "mouthPucker", "mouthRight",
    "mouthRollLower", "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper", "mouthSmileLeft",
    "mouthSmileRight", "mouthStretchLeft", "mouthStretchRight", "mouthUpperUpLeft", "mouthUpperUpRight",
    "noseSneerLeft", "noseSneerRight", "tongueOut",
]
STANDARD_RATES = [24, 25, 30, 48, 50, 60, 72, 90, 100, 120, 240]


class AnimationError(Exception):
    pass


def read_json(path):
    """(fps, {arkit name: [weight per frame]}) of an m2f JSON file (docs/FORMATS.md)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if doc.get("version") != 1:
        raise AnimationError(f"{path}: version {doc.get('version')} is not 1 (an m2f JSON animation)")
    names, frames = doc.get("blendshapes"), doc.get("frames")
    if not isinstance(names, list) or not isinstance(frames, list):
        raise AnimationError(f"{path}: needs 'blendshapes' and 'frames' (docs/FORMATS.md)")
    channels = {name: [float(row[i]) for row in frames] for i, name in enumerate(names)}
    return float(doc["fps"]), channels


def timecode_seconds(text, rate):
    h, m, s, f = text.replace(";", ":").split(":")
    return (int(h) * 60 + int(m)) * 60 + int(s) + float(f) / rate


def read_csv(path):
    """(fps, channels) of a Live Link Face CSV: columns by name; the rate from the timecodes."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.reader(f) if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise AnimationError(f"{path}: no rows under the header")
    header = [cell.strip() for cell in rows[0]]
    lower = {name.lower(): i for i, name in enumerate(header)}
    channels = {}
    for name in ARKIT_NAMES:
        if name.lower() in lower:
            c = lower[name.lower()]
            try:
                channels[name] = [float(row[c]) for row in rows[1:]]
            except (ValueError, IndexError) as error:
                raise AnimationError(f"{path}: column {header[c]}: {error}")
    if not channels:
        raise AnimationError(f"{path}: no ARKit blendshape columns (EyeBlinkLeft, JawOpen, …) in the header")
    fps = 30.0
    if "timecode" in lower and len(rows) > 2:
        stamps = [row[lower["timecode"]].strip() for row in rows[1:]]
        if len({s.replace(";", ":").rsplit(":", 1)[0] for s in stamps}) == 1:
            # Within one second the timecode's rate is unknown: m2f's 30 fps unless --fps says otherwise.
            return fps, channels
        # The timecode's frame rate: the largest frame field + 1, snapped up to a standard rate.
        largest = max(int(float(s.replace(";", ":").split(":")[3])) for s in stamps)
        rate = next((r for r in STANDARD_RATES if r > largest), largest + 1)
        span = timecode_seconds(stamps[-1], rate) - timecode_seconds(stamps[0], rate)
        if span > 0:
            measured = (len(stamps) - 1) / span
            fps = min(STANDARD_RATES, key=lambda r: abs(r - measured))
            if abs(fps - measured) / measured > 0.02:
                fps = measured
    return float(fps), channels


def read_animation(path):
    if path.lower().endswith(".json"):
        return read_json(path)
    if path.lower().endswith(".csv"):
        return read_csv(path)
    raise AnimationError(f"{path}: expected a .csv (Live Link Face) or .json (m2f) file")


def arkit_key_names(obj):
    """{arkit name: shape key name} for the object's shape keys that carry ARKit names (any case)."""
    if obj.type != "MESH" or obj.data.shape_keys is None:
        return {}
    by_lower = {name.lower(): name for name in ARKIT_NAMES}
    keys = obj.data.shape_keys
    return {by_lower[k.name.lower()]: k.name for k in keys.key_blocks if k != keys.reference_key and k.name.lower() in by_lower}


def apply(obj, fps, channels, start):
    """Keys each matching shape key of `obj` at scene frames start, start + 1, …; returns how many."""
    matched = arkit_key_names(obj)
    keys = obj.data.shape_keys
    action = bpy.data.actions.new(name=f"{obj.name}_m2f")
    keys.animation_data_create()
    keys.animation_data.action = action
    for arkit, key_name in matched.items():
        values = channels.get(arkit)
        if values is None:
            continue
        curve = action.fcurves.new(data_path=f'key_blocks["{key_name}"].value')
        curve.keyframe_points.add(len(values))
        coordinates = []
        for k, value in enumerate(values):
            coordinates += [start + k, value]
        curve.keyframe_points.foreach_set("co", coordinates)
        for point in curve.keyframe_points:
            point.interpolation = "LINEAR"
        curve.update()
    return len([a for a in matched if a in channels])


def import_file(path, objects=None, start=1, fps=None):
    """Imports `path` onto `objects` (default: every mesh with ARKit shape keys) and sets the scene's
    rate and range. Returns (fps, frame count, names of the animated objects)."""
    file_fps, channels = read_animation(path)
    fps = fps or file_fps
    frames = max(len(v) for v in channels.values())
    candidates = objects if objects else [o for o in bpy.context.scene.objects if arkit_key_names(o)]
    animated = [o.name for o in candidates if arkit_key_names(o) and apply(o, fps, channels, start) > 0]
    if not animated:
        raise AnimationError("no mesh has shape keys named by ARKit (jawOpen, eyeBlinkLeft, …): nothing to animate")
    scene = bpy.context.scene
    # Whole rates as fps / 1; others (29.97) through fps_base.
    scene.render.fps = max(1, round(fps))
    scene.render.fps_base = scene.render.fps / fps
    scene.frame_start = start
    scene.frame_end = start + frames - 1
    return fps, frames, animated


class ImportM2FAnimation(bpy.types.Operator):
    """Import an m2f animation (Live Link Face CSV or m2f JSON) onto ARKit shape keys"""
    bl_idname = "import_anim.m2f"
    bl_label = "Import m2f animation"
    bl_options = {"REGISTER", "UNDO"}

    filepath: bpy.props.StringProperty(subtype="FILE_PATH")
    filter_glob: bpy.props.StringProperty(default="*.csv;*.json", options={"HIDDEN"})
    start: bpy.props.IntProperty(name="Start frame", default=1)

    def execute(self, context):
        selected = [o for o in context.selected_objects if arkit_key_names(o)]
        try:
            fps, frames, animated = import_file(self.filepath, selected or None, self.start)
        except (AnimationError, OSError, ValueError) as error:
            self.report({"ERROR"}, str(error))
            return {"CANCELLED"}
        self.report({"INFO"}, f"{frames} frames at {fps:g} fps onto {', '.join(animated)}")
        return {"FINISHED"}

    def invoke(self, context, event):
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}


def menu_entry(self, context):
    self.layout.operator(ImportM2FAnimation.bl_idname, text="m2f animation (.csv/.json)")


def register():
    bpy.utils.register_class(ImportM2FAnimation)
    bpy.types.TOPBAR_MT_file_import.append(menu_entry)


def unregister():
    bpy.types.TOPBAR_MT_file_import.remove(menu_entry)
    bpy.utils.unregister_class(ImportM2FAnimation)


def main(argv):
    """Command line: FILE [--object NAME]… [--start N] [--fps F] [--save OUT.blend]."""
    path, names, start, fps, save = None, [], 1, None, None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--object", "--start", "--fps", "--save") and i + 1 < len(argv):
            value = argv[i + 1]
            if a == "--object":
                names.append(value)
            elif a == "--start":
                start = int(value)
            elif a == "--fps":
                fps = float(value)
            else:
                save = value
            i += 2
        else:
            path = a
            i += 1
    if path is None:
        raise AnimationError("usage: blender [scene.blend] --python m2f_import.py -- FILE.csv|FILE.json [--object NAME] [--start N] [--fps F] [--save OUT.blend]")
    missing = [n for n in names if n not in bpy.data.objects]
    if missing:
        raise AnimationError(f"no object named {', '.join(missing)} in the scene")
    fps, frames, animated = import_file(path, [bpy.data.objects[n] for n in names] or None, start, fps)
    print(f"m2f_import: {frames} frames at {fps:g} fps onto {', '.join(animated)} (scene frames {start}–{start + frames - 1})")
    if save:
        bpy.ops.wm.save_as_mainfile(filepath=save)


if __name__ == "__main__":
    try:
        main(sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else [])
    except (AnimationError, OSError, ValueError) as error:
        print(f"m2f_import: error: {error}", file=sys.stderr)
        sys.exit(1)
