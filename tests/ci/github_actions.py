"""GitHub Actions' runner, as far as examples/ci needs it, for tests/ci/integrations_test.py.

- Expressions (`${{ }}` and `if:`): literals, contexts and their properties, `!`, `==`, `!=`,
  `<`, `>`, `&&` and `||` (which yield an operand, as GitHub's do), strings compared ignoring
  case, and the functions always(), success(), failure(), cancelled(), format(), contains(),
  startsWith() and endsWith(); anything else is an error, never a guess.
- A job: steps in order, each with its `if:` (success() unless it names a status function),
  `env:` and `with:` evaluated, `continue-on-error`, outputs in `steps.<id>`; `run:` blocks
  executed with bash as GitHub runs them (`bash --noprofile --norc -eo pipefail`), with the
  environment variables a runner sets, GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH read after
  each step and carried on, and one job summary; local composite actions (`uses: ./…`) run
  with their inputs and defaults; other `uses:` go to a stand-in the test provides.
"""
import json
import math
import os
import re
import subprocess

import yaml

TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>\d+(?:\.\d+)?)"
                   r"|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\],.])"
                   r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))")
STATUS_FUNCTION = re.compile(r"\b(always|success|failure|cancelled)\s*\(")


def truthy(value):
    if isinstance(value, float) and math.isnan(value):
        return False
    return value not in (None, False, 0, "")


def as_number(value):
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value.strip()) if value.strip() else 0
        except ValueError:
            return math.nan
    return math.nan


def equal(a, b):
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()  # GitHub compares strings ignoring case
    if type(a) is type(b):
        return a == b
    return as_number(a) == as_number(b)


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def member(value, name):
    if isinstance(value, dict):
        if name in value:
            return value[name]
        for key in value:
            if isinstance(key, str) and isinstance(name, str) and key.lower() == name.lower():
                return value[key]
        return None
    if isinstance(value, list) and isinstance(name, (int, float)):
        return value[int(name)] if 0 <= int(name) < len(value) else None
    return None


class Expression:
    def __init__(self, contexts, failed):
        self.contexts = contexts
        self.failed = failed

    def evaluate(self, text):
        text = text.strip()
        self.tokens, pos = [], 0
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ValueError(f"cannot read the expression at {text[pos:]!r}")
            self.tokens.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        self.at = 0
        value = self.disjunction()
        if self.at != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.at][1]!r} in {text!r}")
        return value

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else (None, None)

    def take(self, op=None):
        token = self.peek()
        if token == (None, None) or (op is not None and token != ("op", op)):
            raise ValueError(f"expected {op or 'more'}, found {token[1]!r}")
        self.at += 1
        return token

    def disjunction(self):
        value = self.conjunction()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.conjunction()
            value = value if truthy(value) else right
        return value

    def conjunction(self):
        value = self.comparison()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.comparison()
            value = right if truthy(value) else value
        return value

    def comparison(self):
        value = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("==", "!=", "<", ">", "<=", ">="):
            op = self.take()[1]
            right = self.unary()
            if op == "==":
                value = equal(value, right)
            elif op == "!=":
                value = not equal(value, right)
            else:
                a, b = as_number(value), as_number(right)
                value = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        return value

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        value = self.primary()
        while self.peek() in (("op", "."), ("op", "[")):
            if self.take()[1] == ".":
                kind, name = self.take()
                if kind != "name":
                    raise ValueError(f"expected a property name, found {name!r}")
                value = member(value, name)
            else:
                key = self.disjunction()
                self.take("]")
                value = member(value, key)
        return value

    def primary(self):
        kind, text = self.take()
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text) if "." in text else int(text)
        if (kind, text) == ("op", "("):
            value = self.disjunction()
            self.take(")")
            return value
        if kind != "name":
            raise ValueError(f"unexpected {text!r}")
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if self.peek() == ("op", "("):
            self.take()
            args = []
            while self.peek() != ("op", ")"):
                args.append(self.disjunction())
                if self.peek() == ("op", ","):
                    self.take()
            self.take(")")
            return self.call(text, args)
        if text not in self.contexts:
            raise ValueError(f"unknown context {text!r}")
        return self.contexts[text]

    def call(self, name, args):
        if name == "always":
            return True
        if name == "success":
            return not self.failed
        if name == "failure":
            return self.failed
        if name == "cancelled":
            return False
        if name == "format":
            return re.sub(r"\{(\d+)\}", lambda m: as_text(args[1 + int(m.group(1))]), args[0])
        if name == "contains":
            if isinstance(args[0], list):
                return any(equal(x, args[1]) for x in args[0])
            return as_text(args[1]).lower() in as_text(args[0]).lower()
        if name == "startsWith":
            return as_text(args[0]).lower().startswith(as_text(args[1]).lower())
        if name == "endsWith":
            return as_text(args[0]).lower().endswith(as_text(args[1]).lower())
        raise ValueError(f"function {name}() is not known to this test")


def read_command_file(path):
    """GITHUB_OUTPUT / GITHUB_ENV: name=value lines and name<<DELIMITER blocks."""
    values = {}
    if not os.path.exists(path):
        return values
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        m = re.match(r"^([^=<]+)<<(.+)$", line)
        if m:
            body = []
            while i < len(lines) and lines[i] != m.group(2):
                body.append(lines[i])
                i += 1
            i += 1
            values[m.group(1)] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        else:
            raise ValueError(f"{path}: cannot read {line!r}")
    return values


class Job:
    """Runs a job's steps and composite actions' steps as the runner does, in root/workspace
    with root/runner-temp and root/home. `actions` stands in for `uses:` steps that are not
    local composite actions: actions(job, uses, inputs) returns (outputs, exit code). `check`
    (condition, what) records what the files must satisfy (bash, values through env:, inputs
    declared)."""

    def __init__(self, root, github, actions, base_env, check):
        self.workspace = os.path.join(root, "workspace")
        self.temp = os.path.join(root, "runner-temp")
        self.home = os.path.join(root, "home")
        for d in (self.workspace, self.temp, self.home):
            os.makedirs(d, exist_ok=True)
        self.summary = os.path.join(root, "step-summary.md")
        open(self.summary, "w").close()
        self.github = dict(github, workspace=self.workspace, action_path="")
        self.actions = actions
        self.base_env = base_env
        self.check = check
        self.env_from_steps = {}
        self.path_from_steps = []
        self.failed = False
        self.log = []  # (step name, outcome, exit code, stdout, stderr)
        self.step_count = 0

    def contexts(self):
        return {"github": self.github, "runner": {"temp": self.temp, "os": "Linux",
                                                  "arch": "X64"},
                "vars": {}, "secrets": {}, "env": {}, "inputs": {}, "steps": {}, "job": {},
                "matrix": {}, "strategy": {}}

    def interpolate(self, value, contexts):
        if not isinstance(value, str):
            return value
        return re.sub(r"\$\{\{(.*?)\}\}",
                      lambda m: as_text(Expression(contexts, self.failed).evaluate(m.group(1))),
                      value, flags=re.S)

    def condition(self, step, contexts):
        text = step.get("if")
        if text is None:
            text = "success()"
        text = str(text).strip()
        m = re.fullmatch(r"\$\{\{(.*)\}\}", text, flags=re.S)
        if m:
            text = m.group(1)
        if not STATUS_FUNCTION.search(text):
            text = f"success() && ({text})"
        return truthy(Expression(contexts, self.failed).evaluate(text))

    def output(self, name):
        """The stdout of every executed step whose name contains `name`."""
        return "".join(entry[3] for entry in self.log if name in entry[0])

    def result(self, name):
        return next((entry for entry in self.log if entry[0] == name), None)

    def run_steps(self, steps, contexts, default_shell=None, action_path=None, where="job"):
        for index, step in enumerate(steps):
            name = step.get("name") or step.get("uses") or f"step {index}"
            if not self.condition(step, contexts):
                self.log.append((name, "skipped", None, "", ""))
                if step.get("id"):
                    contexts["steps"][step["id"]] = {"outputs": {}, "outcome": "skipped",
                                                     "conclusion": "skipped"}
                continue
            env = {k: as_text(self.interpolate(v, contexts)) for k, v in
                   (step.get("env") or {}).items()}
            if "run" in step:
                shell = step.get("shell", default_shell)
                self.check(shell == "bash", f"{where}: step {name!r} runs in bash (shell: {shell})")
                self.check("${{" not in step["run"],
                      f"{where}: step {name!r} takes the workflow's values from env:, "
                      "not from expressions in its script")
                directory = self.interpolate(step.get("working-directory", "."), contexts)
                outputs, code = self.run_script(name, step["run"], env,
                                                os.path.join(self.workspace, directory),
                                                action_path)
            else:
                inputs = {k: as_text(self.interpolate(v, contexts)) for k, v in
                          (step.get("with") or {}).items()}
                uses = step["uses"]
                if uses.startswith("./"):
                    outputs, code = self.run_action(os.path.join(self.workspace, uses[2:]),
                                                    inputs)
                else:
                    outputs, code = self.actions(self, uses, inputs)
                self.log.append((name, "success" if code == 0 else "failure", code, "", ""))
            outcome = "success" if code == 0 else "failure"
            continue_on_error = truthy(self.interpolate(step.get("continue-on-error", False),
                                                        contexts))
            if code != 0 and not continue_on_error:
                self.failed = True
            if step.get("id"):
                contexts["steps"][step["id"]] = {
                    "outputs": outputs, "outcome": outcome,
                    "conclusion": "success" if continue_on_error else outcome}

    def run_script(self, name, script, step_env, cwd, action_path):
        self.step_count += 1
        files = {kind: os.path.join(self.temp, f"_runner_{kind}_{self.step_count}")
                 for kind in ("output", "env", "path")}
        for path in files.values():
            open(path, "w").close()
        script_file = os.path.join(self.temp, f"_runner_script_{self.step_count}.sh")
        with open(script_file, "w") as f:
            f.write(script)
        env = dict(self.base_env)
        env.update({
            "HOME": self.home, "CI": "true", "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": self.workspace, "RUNNER_TEMP": self.temp, "RUNNER_OS": "Linux",
            "GITHUB_EVENT_NAME": self.github["event_name"],
            "GITHUB_REPOSITORY": self.github["repository"], "GITHUB_SHA": self.github["sha"],
            "GITHUB_SERVER_URL": self.github["server_url"], "GITHUB_ACTOR": self.github["actor"],
            "GITHUB_OUTPUT": files["output"], "GITHUB_ENV": files["env"],
            "GITHUB_PATH": files["path"], "GITHUB_STEP_SUMMARY": self.summary})
        if action_path:
            env["GITHUB_ACTION_PATH"] = action_path
        env.update(self.env_from_steps)
        env["PATH"] = os.pathsep.join(self.path_from_steps[::-1] + [self.base_env["PATH"]])
        env.update(step_env)
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script_file],
                           cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
        self.log.append((name, "success" if r.returncode == 0 else "failure", r.returncode,
                         r.stdout, r.stderr))
        self.env_from_steps.update(read_command_file(files["env"]))
        with open(files["path"]) as f:
            self.path_from_steps += [line for line in f.read().split("\n") if line]
        return read_command_file(files["output"]), r.returncode

    def run_action(self, action_dir, inputs):
        with open(os.path.join(action_dir, "action.yml")) as f:
            action = yaml.safe_load(f)
        declared = action.get("inputs") or {}
        self.check(set(inputs) <= set(declared),
              f"{action_dir}: inputs {sorted(set(inputs) - set(declared))} are declared")
        contexts = self.contexts()
        contexts["github"] = dict(self.github, action_path=action_dir)
        contexts["inputs"] = {name: inputs[name] if name in inputs else
                              as_text(self.interpolate(str(spec.get("default", "")), contexts))
                              for name, spec in declared.items()}
        self.run_steps(action["runs"]["steps"], contexts, None, action_dir, "action")
        outputs = {name: as_text(self.interpolate(spec["value"], contexts))
                   for name, spec in (action.get("outputs") or {}).items()}
        self.action_outputs = outputs
        return outputs, 1 if self.failed else 0

    def run_job(self, workflow, job_id):
        job = workflow["jobs"][job_id]
        contexts = self.contexts()
        shell = ((job.get("defaults") or {}).get("run") or {}).get("shell")
        self.run_steps(job["steps"], contexts, shell, None, f"job {job_id}")
        return not self.failed
