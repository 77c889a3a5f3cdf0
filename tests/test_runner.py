"""The runner: stack files read like the CLI reads them, secrets masked, bad config stops everything."""

from __future__ import annotations

import asyncio
import threading

import pytest

from eks_platform.runner.engine import ProgramError, Secret, run_program
from eks_platform.runner.stack_config import SECRET, StackConfigError, load_stack_config, stack_config_from_dict
from tests.conftest import config_with, run_config


def test_invalid_config_is_a_user_error_and_registers_nothing():
    bad = config_with(nodeGroups=[{"name": "general", "minSize": 3, "maxSize": 2}], network={"vpcCidr": "8.8.0.0/16"})
    with pytest.raises(ProgramError) as caught:
        run_config(bad)
    assert caught.value.user_error
    assert caught.value.resources == []
    assert "eks-platform:nodeGroups[0].minSize" in caught.value.message
    assert "eks-platform:network.vpcCidr" in caught.value.message
    assert "Traceback" not in caught.value.message


def test_project_defaults_fill_keys_the_stack_leaves_out():
    config = stack_config_from_dict("x", {"aws:region": "us-west-2", "nodeGroups": [{"name": "a"}]})
    assert config.values["eks-platform:cluster"] == {}
    assert config.values["eks-platform:network"] == {}
    assert config.values["eks-platform:nodeGroups"] == [{"name": "a"}]


def test_secure_values_are_masked_and_their_key_is_secret(tmp_path):
    stack_file = tmp_path / "Pulumi.s.yaml"
    stack_file.write_text(
        "config:\n"
        "  aws:region: us-east-1\n"
        "  eks-platform:cluster:\n"
        "    tags:\n"
        "      owner:\n"
        "        secure: v1:AAAABBBBCCCC:ZGVhZGJlZWY=\n"
    )
    config = load_stack_config("s", stack_file)
    assert config.values["eks-platform:cluster"] == {"tags": {"owner": SECRET}}
    assert config.secret_keys == {"eks-platform:cluster"}
    assert "v1:AAAA" not in str(config.runtime_values())


@pytest.mark.parametrize(
    ("content", "reason"),
    [("config: [1, 2]\n", "must be a mapping"), ("config: {a: [}\n", "not valid YAML")],
)
def test_unreadable_stack_file(tmp_path, content, reason):
    stack_file = tmp_path / "Pulumi.bad.yaml"
    stack_file.write_text(content)
    with pytest.raises(StackConfigError, match=reason):
        load_stack_config("bad", stack_file)


def test_missing_stack_file(tmp_path):
    with pytest.raises(StackConfigError, match="cannot read"):
        load_stack_config("nope", tmp_path / "Pulumi.nope.yaml")


def test_records_parent_provider_and_dependencies(dev):
    subnet = dev.one("aws:ec2/subnet:Subnet", "network-private-az1")
    assert subnet.parent == dev.one("eks-platform:index:Network").urn
    assert dev.one("aws:ec2/vpc:Vpc").urn in subnet.dependencies
    assert subnet.provider is None  # default provider
    namespace = dev.one("kubernetes:core/v1:Namespace", "namespaces-demo")
    assert namespace.provider == dev.one("pulumi:providers:kubernetes", "cluster-k8s").urn


def test_runs_are_independent():
    first = run_config(config_with(nodeGroups=[{"name": "one"}]))
    second = run_config(config_with(nodeGroups=[{"name": "two"}, {"name": "three"}]))
    assert [r.name for r in first.of_type("aws:eks/nodeGroup:NodeGroup")] == ["one"]
    assert sorted(r.name for r in second.of_type("aws:eks/nodeGroup:NodeGroup")) == ["three", "two"]


def test_secret_marker_hides_its_value():
    assert "hunter2" not in repr(Secret("hunter2"))


def test_pulumi_yaml_declares_every_config_section_with_a_description():
    from eks_platform.runner.stack_config import project_file
    from settings.loader import SECTIONS

    declared = project_file()["config"]
    assert set(declared) == set(SECTIONS)
    assert all(d.get("description") for d in declared.values())
    # Only nodeGroups is required: Pulumi asks for a key declared without a default.
    assert [k for k, d in declared.items() if "default" not in d] == ["nodeGroups"]


# A program of a few resources and an invoke, answered on the SDK's worker threads: things registered in
# reverse order of their names, half of them inside a component.
SMALL_PROGRAM = """
import pulumi
import pulumi_aws as aws

zones = aws.get_availability_zones(state="available")
group = pulumi.ComponentResource("test:index:Group", "group")
for i in reversed(range(6)):
    options = pulumi.ResourceOptions(parent=group if i % 2 else None)
    pulumi.CustomResource("test:index:Thing", f"thing-{i}", {"zone": zones.names[i % 3]}, options)
"""


def run_small_program(tmp_path):
    program = tmp_path / "__main__.py"
    program.write_text(SMALL_PROGRAM)
    return run_program(stack_config_from_dict("small", {"aws:region": "eu-west-1"}), program)


def test_worker_threads_keep_their_event_loops_until_exit_and_exit_closes_them(tmp_path, monkeypatch):
    # A loop left to the garbage collector closes late: at exit, "Exception ignored ... BaseEventLoop.__del__".
    # Closing them when a run ends instead lost outputs of later runs at random: they live until exit.
    from eks_platform.runner.worker_loops import close_worker_loops

    made = []
    new_event_loop = asyncio.new_event_loop

    def recorded():
        loop = new_event_loop()
        made.append((threading.current_thread(), loop))
        return loop

    monkeypatch.setattr(asyncio, "new_event_loop", recorded)
    close_worker_loops()  # earlier tests' loops: this test counts only its own
    result = run_small_program(tmp_path)
    assert len(result.of_type("test:index:Thing")) == 6 and result.invokes
    workers = [loop for thread, loop in made if thread is not threading.main_thread()]
    assert workers and not any(loop.is_closed() for loop in workers)
    close_worker_loops()
    assert all(loop.is_closed() for loop in workers)


def test_a_call_after_its_run_still_has_a_loop():
    # A failed program's registrations go on after the run has ended.
    from pulumi.runtime.sync_await import _sync_await

    from eks_platform.runner.mocks import PlatformMocks
    from eks_platform.runner.monitor import RecordingMonitor

    monitor = RecordingMonitor(PlatformMocks("eu-west-1"))
    errors = []

    def answer():
        try:
            for _ in range(2):  # the same thread, twice: the loop it got the first time serves again
                with monitor._thread_loop():
                    _sync_await(asyncio.sleep(0))
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert errors == []


def test_resources_come_parent_first_then_by_type_and_name_whatever_the_registration_order(tmp_path):
    result = run_small_program(tmp_path)
    expected = ["group", "thing-1", "thing-3", "thing-5", "thing-0", "thing-2", "thing-4"]
    assert [r.name for r in result.resources] == expected
