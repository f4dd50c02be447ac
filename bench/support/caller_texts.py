"""What callers say, in their words: the texts the routing benchmarks ask suggestions for
(bench/analytics.py, bench/analytics_train.py)."""

TEXTS = [
    "我家巷口的路燈壞了好幾天，晚上很暗",
    "垃圾車今天沒有來收垃圾",
    "有車子每天停在我家門口紅線上",
    "路面有一個大坑洞機車差點摔倒",
    "工地一大早就開始施工很吵",
    "公園的溜滑梯壞掉了很危險",
    "颱風過後大樹倒在馬路中間",
    "下大雨路口就淹水",
]
