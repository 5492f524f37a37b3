"""What would break a dossier at run time, read off a diagram's XML before anything is stored: elements no path
reaches, a gateway exit that could never be taken or would leave the gateway with no way out, a loop that never waits,
a call to a process the deployment does not hold or that calls its caller back. Each refusal names the file, the
element (id and name), its line and what to change."""
from lxml import etree

from engine.errors import DeploymentRefused

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_NS = {"bpmn": BPMN_NS}
# Elements that hold flow nodes of their own.
CONTAINERS = ("process", "subProcess", "transaction", "adHocSubProcess")
_NOT_FLOW_NODES = ("sequenceFlow", "laneSet", "lane", "extensionElements", "documentation", "ioSpecification",
                   "property", "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation",
                   "association", "incoming", "outgoing", "multiInstanceLoopCharacteristics",
                   "standardLoopCharacteristics", "dataInputAssociation", "dataOutputAssociation")
_CHOOSING_GATEWAYS = ("exclusiveGateway", "inclusiveGateway")
# Where a dossier stops until someone acts or time passes (or, for a call or a sub-process, where its own steps may):
# a loop through none of them runs on without end inside one request, holding the dossier's lock.
_WAITING = ("userTask", "manualTask", "task", "receiveTask", "intermediateCatchEvent", "eventBasedGateway",
            "callActivity", *CONTAINERS[1:])


def check(name: str, tree) -> None:
    """Refuse the diagram on the first rule it breaks."""
    for container in tree.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in CONTAINERS)):
        _check_reachable(name, container)
        _check_gateway_exits(name, container)
        _check_loops_wait(name, container)


def check_calls(trees: dict[str, object]) -> None:
    """Every call activity calls a process of this deployment (the engine builds the called spec with the caller's)."""
    known = {process.get("id") for tree in trees.values() for process in tree.iter(f"{{{BPMN_NS}}}process")}
    for name, tree in trees.items():
        for call in tree.iter(f"{{{BPMN_NS}}}callActivity"):
            called = call.get("calledElement")
            if called not in known:
                raise DeploymentRefused.at(name, call, f"gọi quy trình '{called}' không có trong lần triển khai này; "
                                                       "gửi kèm tệp chứa quy trình đó, hoặc sửa calledElement")
    _check_calls_return(trees)


def _check_calls_return(trees: dict[str, object]) -> None:
    """No process calls itself, directly or through the processes it calls: each round would open one more called
    process inside the last, without end."""
    calls = [(name, call, _process_of(call).get("id"), call.get("calledElement"))
             for name, tree in trees.items() for call in tree.iter(f"{{{BPMN_NS}}}callActivity")]
    called_by: dict[str, list[str]] = {}
    for _, _, caller, called in calls:
        called_by.setdefault(caller, []).append(called)
    loop = _first_loop(list(called_by), called_by)
    if loop is None:
        return
    name, call, _, _ = next(c for c in calls if c[2:] == (loop[0], loop[1 % len(loop)]))
    cycle = " → ".join(loop + loop[:1])
    raise DeploymentRefused.at(name, call, f"lời gọi này làm quy trình gọi lại chính nó ({cycle}): "
                                           "mỗi vòng mở thêm một quy trình con lồng bên trong, không bao giờ dừng; bỏ "
                                           "lời gọi, hoặc vẽ việc làm lại bằng luồng quay về một bước")


def _process_of(element):
    return next(element.iterancestors(f"{{{BPMN_NS}}}process"))


def _first_loop(nodes: list[str], edges: dict[str, list[str]]) -> list[str] | None:
    """A loop along `edges` (its nodes from where the walk met it), walking depth first from each of `nodes` in turn:
    linear in nodes and edges, however large the diagram."""
    state: dict[str, bool] = {}  # True while on the walk's path, False once every way on from it is walked
    for root in nodes:
        if root in state:
            continue
        path, ways_on, state[root] = [root], [iter(edges.get(root, []))], True
        while path:
            node = next(ways_on[-1], None)
            if node is None:
                state[path.pop()] = False
                ways_on.pop()
            elif state.get(node) is True:
                return path[path.index(node):]
            elif node not in state:
                state[node] = True
                path.append(node)
                ways_on.append(iter(edges.get(node, [])))
    return None


def _flow_nodes(container) -> dict[str, object]:
    return {node.get("id"): node for node in container
            if isinstance(node.tag, str) and etree.QName(node).namespace == BPMN_NS
            and etree.QName(node).localname not in _NOT_FLOW_NODES and node.get("id")}


def _check_reachable(name: str, container) -> None:
    """Every flow node lies on a path from a start event (or from an event sub-process, or a boundary event of an
    element that is itself reached)."""
    nodes = _flow_nodes(container)
    targets: dict[str, list[str]] = {}
    for flow in container.iterfind("bpmn:sequenceFlow", _NS):
        targets.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    boundaries: dict[str, list[str]] = {}
    for node_id, node in nodes.items():
        if etree.QName(node).localname == "boundaryEvent":
            boundaries.setdefault(node.get("attachedToRef"), []).append(node_id)
    entries = [node_id for node_id, node in nodes.items()
               if etree.QName(node).localname == "startEvent" or node.get("triggeredByEvent") == "true"]
    if not entries:
        return
    reached, waiting = set(), list(entries)
    while waiting:
        node_id = waiting.pop()
        if node_id in reached:
            continue
        reached.add(node_id)
        waiting.extend(targets.get(node_id, []) + boundaries.get(node_id, []))
    for node_id, node in nodes.items():
        if node_id not in reached:
            raise DeploymentRefused.at(name, node, "không có đường nào từ sự kiện bắt đầu tới phần tử này; nối nó "
                                                   "vào luồng hoặc xoá nó")


def _check_gateway_exits(name: str, container) -> None:
    """A choosing gateway with several exits: each has a condition, except the one marked default."""
    outgoing: dict[str, list] = {}
    for flow in container.iterfind("bpmn:sequenceFlow", _NS):
        outgoing.setdefault(flow.get("sourceRef"), []).append(flow)
    for gateway in container:
        if not isinstance(gateway.tag, str) or etree.QName(gateway).localname not in _CHOOSING_GATEWAYS:
            continue
        exits = outgoing.get(gateway.get("id"), [])
        if len(exits) < 2:
            continue
        for flow in exits:
            condition = flow.find("bpmn:conditionExpression", _NS)
            if flow.get("id") != gateway.get("default") and (condition is None or not (condition.text or "").strip()):
                gateway_name = gateway.get("name") or gateway.get("id")
                raise DeploymentRefused.at(name, flow, f"lối ra của cổng '{gateway_name}' không có điều kiện và không "
                                                       "phải lối mặc định; thêm điều kiện, hoặc đặt nó làm lối mặc "
                                                       "định (default) của cổng")



def _check_loops_wait(name: str, container) -> None:
    """Every loop passes a step, a wait (timer, message) or a call: one made of scripts, gateways and throwing events
    only would run on without end, and so would a repeated activity (standardLoopCharacteristics) with no
    loopMaximum that never waits."""
    nodes = _flow_nodes(container)
    running = {node_id for node_id, node in nodes.items() if etree.QName(node).localname not in _WAITING}
    for node_id in running:
        loop = nodes[node_id].find("bpmn:standardLoopCharacteristics", _NS)
        if loop is not None and loop.get("loopMaximum") is None:
            raise DeploymentRefused.at(name, nodes[node_id], "vòng lặp không chờ gì (lặp lại theo điều kiện, không có "
                                                             "loopMaximum): có thể chạy mãi; đặt loopMaximum")
    following: dict[str, list[str]] = {}
    for flow in container.iterfind("bpmn:sequenceFlow", _NS):
        if flow.get("sourceRef") in running and flow.get("targetRef") in running:
            following.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    loop = _first_loop([node_id for node_id in nodes if node_id in running], following)
    if loop is not None:
        raise DeploymentRefused.at(name, nodes[loop[0]], f"vòng lặp {' → '.join(loop + loop[:1])} không có bước nào "
                                                         "chờ người làm, hẹn giờ hay tin nhắn: nó sẽ chạy mãi; thêm "
                                                         "một bước (userTask) vào vòng")
