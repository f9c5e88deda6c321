"""Packaging of smscx_client (metadata here; build backend in pyproject.toml)."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(r'__version__ = "([^"]+)"', (HERE / "smscx_client" / "_version.py").read_text()).group(1)
REQUIRES = [line.strip() for line in (HERE / "requirements.txt").read_text().splitlines() if line.strip() and not line.startswith("#")]

setup(
    name="smscx_client",
    version=VERSION,
    description="Python SDK of the SMS.CX API: SMS, Viber, WhatsApp, OTP, numbers, reports",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    author="SMS.CX SDK developers",
    url="https://github.com/smscx/smscx-api-python-library",
    license="Apache-2.0",
    keywords=["SMS", "SMS.CX", "SMS Connexion", "Viber", "WhatsApp", "OTP", "2FA", "API"],
    python_requires=">=3.9",
    install_requires=REQUIRES,
    extras_require={
        "sandbox": ["phonenumbers >= 8.13", "XlsxWriter >= 3.0"],
        "async": ["aiohttp >= 3.9"],
        "phones": ["phonenumbers >= 8.13"],
        "otel": ["opentelemetry-api >= 1.20"],
    },
    packages=find_packages(include=["smscx_client", "smscx_client.*"]),
    # Declared although it is the default: with a root mapping, setuptools makes an editable
    # install (`pip install -e .`) a static .pth path, which type checkers follow, instead of an
    # import hook, which mypy cannot see through (the package would be missing to it).
    package_dir={"": "."},
    package_data={"smscx_client": ["py.typed", "sandbox/static/*"]},
    include_package_data=True,
    entry_points={
        "console_scripts": [
            "smscx = smscx_client.cli:main",
            "smscx-sandbox = smscx_client.sandbox.__main__:main",
        ],
        "pytest11": ["smscx_sandbox = smscx_client.sandbox.pytest_plugin"],
    },
    classifiers=[
        "Development Status :: 5 - Production/Stable",
        "Intended Audience :: Developers",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Topic :: Communications :: Telephony",
        "Typing :: Typed",
    ],
)
