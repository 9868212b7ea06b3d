#!/usr/bin/env python3
"""Evaluates a template's `Rules` section offline, as CloudFormation would
before creating or updating a stack.

A rule whose RuleCondition holds (or that has none) has each of its
Assertions checked; an assertion that is false refuses the stack with its
AssertDescription. Only the documented rule functions are understood:
Fn::And, Fn::Or, Fn::Not, Fn::Equals, Fn::Contains, Fn::EachMemberEquals,
Fn::EachMemberIn and Ref (parameters and pseudo parameters); see
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html
Anything else (Fn::Split, Fn::Select, Fn::Sub, Fn::If, a Condition
reference) raises NotARuleFunction: CloudFormation would not evaluate it
either. Fn::RefAll, Fn::ValueOf and Fn::ValueOfAll read the account's
resources and cannot be evaluated offline; they raise too.

usage (library): refusals(template, parameters, region=..., account=...)
"""

RULE_FUNCTIONS = (
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::Equals",
    "Fn::Contains",
    "Fn::EachMemberEquals",
    "Fn::EachMemberIn",
)


class NotARuleFunction(Exception):
    """A function CloudFormation does not evaluate inside Rules."""


class Stack:
    """The values a rule can Ref: parameters (given, else their Default)
    and pseudo parameters."""

    def __init__(self, template, parameters, region, account, partition="aws", stack_name="chimeflow"):
        self.values = {
            name: parameters.get(name, declaration.get("Default"))
            for name, declaration in template.get("Parameters", {}).items()
        }
        unknown = set(parameters) - set(self.values)
        if unknown:
            raise ValueError(f"parameters not in the template: {sorted(unknown)}")
        self.values.update(
            {
                "AWS::Region": region,
                "AWS::AccountId": account,
                "AWS::Partition": partition,
                "AWS::StackName": stack_name,
            }
        )

    def ref(self, name):
        if name not in self.values:
            raise NotARuleFunction(f"Ref {name!r}: not a parameter or pseudo parameter")
        value = self.values[name]
        if value is None:
            raise ValueError(f"parameter {name} has no value and no Default")
        return value


def evaluate(expression, stack):
    """The value of a rule expression: a bool for a rule function, a
    string or list of strings for its arguments."""
    if isinstance(expression, (str, int, float)) and not isinstance(expression, bool):
        return str(expression)
    if isinstance(expression, list):
        return [evaluate(item, stack) for item in expression]
    if not isinstance(expression, dict) or len(expression) != 1:
        raise NotARuleFunction(f"{expression!r} is not a rule expression")
    (function, argument), = expression.items()
    if function == "Ref":
        return stack.ref(argument)
    if function not in RULE_FUNCTIONS:
        raise NotARuleFunction(f"{function} is not a rule function (CloudFormation refuses it in Rules)")
    if function == "Fn::Not":
        (condition,) = argument
        return not truth(condition, stack)
    if function == "Fn::And":
        return all(truth(c, stack) for c in argument)
    if function == "Fn::Or":
        return any(truth(c, stack) for c in argument)
    first, second = (evaluate(a, stack) for a in argument)
    if function == "Fn::Equals":
        return first == second
    if function == "Fn::Contains":
        return second in as_strings(first)
    if function == "Fn::EachMemberEquals":
        return all(member == second for member in as_strings(first))
    # Fn::EachMemberIn
    return all(member in as_strings(second) for member in as_strings(first))


def truth(expression, stack):
    value = evaluate(expression, stack)
    if not isinstance(value, bool):
        raise NotARuleFunction(f"{expression!r} is not a condition (it evaluates to {value!r})")
    return value


def as_strings(value):
    # A CommaDelimitedList parameter is a comma-separated string until used.
    return value.split(",") if isinstance(value, str) else value


def refusals(template, parameters, region, account):
    """The (rule, AssertDescription) pairs that refuse a stack created from
    `template` with `parameters` in `region` and `account`; empty when
    CloudFormation would go ahead."""
    stack = Stack(template, parameters, region, account)
    refused = []
    for name, rule in template.get("Rules", {}).items():
        condition = rule.get("RuleCondition")
        if condition is not None and not truth(condition, stack):
            continue
        for assertion in rule.get("Assertions", []):
            if not truth(assertion.get("Assert"), stack):
                refused.append((name, assertion.get("AssertDescription", "")))
    return refused
