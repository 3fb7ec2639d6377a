"""A stand-in for the docker client, on PATH as `docker` in tests/ci/integrations_test.py.

Records each call in $FAKE_DOCKER_LOG (one JSON array a line). `build` and `load` make an image
exist (remembered beside the log), `save` writes a placeholder file, `image inspect` succeeds
for an image that exists, and `run` runs $FAKE_DOCKER_PROVGATE, the image's entry point, with
the arguments after the image name, in --workdir, with the --env NAME=VALUE given.
"""
import json
import os
import subprocess
import sys


def main(argv):
    state = os.environ["FAKE_DOCKER_LOG"] + ".images"
    images = open(state).read().split() if os.path.exists(state) else []
    with open(os.environ["FAKE_DOCKER_LOG"], "a") as f:
        f.write(json.dumps(argv) + "\n")

    def option(name):
        return argv[argv.index(name) + 1] if name in argv else None

    if argv[0] == "build":
        images.append(option("--tag"))
    elif argv[0] == "save":
        with open(option("--output"), "w") as f:
            f.write("an image\n")
    elif argv[0] == "load":
        images.append("loaded")
    elif argv[:2] == ["image", "inspect"]:
        return 0 if argv[2] in images else 1
    elif argv[0] == "run":
        i, env, workdir = 1, dict(os.environ), None
        while argv[i].startswith("--"):
            if argv[i] == "--rm":
                i += 1
                continue
            if argv[i] == "--workdir":
                workdir = argv[i + 1]
            elif argv[i] == "--env" and "=" in argv[i + 1]:
                name, value = argv[i + 1].split("=", 1)
                env[name] = value
            i += 2
        if argv[i] not in images:
            return f"fake docker: no image {argv[i]}"
        return subprocess.run([os.environ["FAKE_DOCKER_PROVGATE"], *argv[i + 1:]], cwd=workdir,
                              env=env).returncode
    else:
        return f"fake docker: unexpected command {argv[0]}"
    with open(state, "w") as f:
        f.write("\n".join(images))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
