"""pelican-yaml-metadata's reader with libyaml's ``CSafeLoader``: the same objects as
``safe_load``, several times faster. What it cannot parse goes back to the original
reader, which reports it as before.

Settings: none. Must come after ``pelican.plugins.yaml_metadata`` in ``PLUGINS``.
"""

import yaml
from pelican import signals
from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader

FAST_LOADER = getattr(yaml, "CSafeLoader", None)


class LibyamlMetadataReader(YAMLMetadataReader):
    def _load_yaml_metadata(self, text, source_path):
        try:
            metadata = yaml.load(text, Loader=FAST_LOADER)  # noqa: S506 (a safe loader)
        except yaml.YAMLError:
            metadata = None
        if not isinstance(metadata, dict):
            return super()._load_yaml_metadata(text, source_path)
        return self._parse_yaml_metadata(metadata, source_path)


def use_libyaml(readers):
    for extension in YAMLMetadataReader.file_extensions:
        if readers.reader_classes.get(extension) is YAMLMetadataReader:
            readers.reader_classes[extension] = LibyamlMetadataReader


def register():
    if FAST_LOADER is not None:
        signals.readers_init.connect(use_libyaml)
